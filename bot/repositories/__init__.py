"""SQL lives here; handlers call these functions and never hold SQL themselves."""
