"""Screens: the text of a message and its keyboard, built from flows' data in the reader's
language. Routers decide which screen to show and whether it is edited in place or sent."""
