"""Read a free-text question (zh / ru / en, mixed) as an intent plus details.

What a question asks (its *intent*: how to cancel, cancel in the app, the hotline, the
daily fee...) and the *details* it gives (the operator, whether the user has left Russia,
the SIM type, whose passport the number is on) are read apart. The handler answers with
the intent's text and fills in the details (an operator's own rules and contacts), so
"mts app里能直接销户吗" gets the answer about apps, for MTS, not MTS's contact card.

How the intent is found, step by step (every step is deterministic and needs no network):

1. Fold: Traditional Chinese characters become Simplified (the character table of
   opencc-python-reimplemented, applied with ``str.translate``), then NFKC, casefold,
   ё→е, punctuation to spaces.
2. Details: regular expressions over the whole text. Operator names come from
   ``operator_aliases()``, the one place that knows how operators are typed; they are cut
   out of the text before matching, so an operator's name never decides the topic. Where
   one comes from is cut out before "where" is read ("я из Китая", "I'm from China",
   "中国留学生", and "中国银行" is a bank), and a time ahead makes going home a plan
   ("下个月就毕业回国了", "going back home next month": leaving soon, not abroad).
3. Small talk and typed times: a text that is only a greeting, only thanks, or only a
   time ("2小时", "завтра в 10", "9am") is not a question (``Kind``).
4. The text the model reads: the words of the folded text, operator names left out, unknown
   Latin/Cyrillic words first corrected to the nearest known word (one in at least two
   examples) with rapidfuzz (optimal string alignment: a swapped pair of letters is one
   edit; one edit allowed, two from 8 letters). An unknown Latin word with no known Latin
   word near it may be Russian typed in Latin letters: its Cyrillic spelling ("nahodyas",
   "находяс") is corrected the same way ("находясь"). A text that shares no Chinese
   character and no three letters of a word with the material ("xxxx") is EMPTY.
5. Scores: scikit-learn's TfidfVectorizer (char_wb n-grams of 1-3 characters seen at least
   twice: inside words for Russian and English, the characters, pairs and triples of a
   Chinese run; beside them, at half weight, the Latin/Cyrillic words and word pairs seen at
   least twice) and a linear SVM (LinearSVC, one-vs-rest) trained when the
   index is built, one sample per example question or keyword of
   ``flows/data/knowledge_match.json`` and ``qa_examples_{zh,ru,en}.json``, the off-topic
   questions (``qa_off_topic.json`` and the files' ``__off_topic__``: weather, visas, tariff
   prices...) as one more class.
6. Confidence: the best intent's decision value must lead by a margin (``DEFAULT_THRESHOLD``
   with Chinese in the text, ``WORD_THRESHOLD`` without) over the off-topic class and over
   every intent that would give another answer once the details are applied ("how to cancel"
   and "cancel from abroad" agree for someone abroad). A text that does not say where the user
   is need not lead the answer for someone abroad ("cancel russian sim": "how to cancel", whose
   text names Gosuslugi too), and the general answer is given when "from abroad" is only just
   ahead of it. Otherwise the handler falls back honestly and offers the closest
   topics, since a wrong confident answer misleads a worried user while the fallback still
   shows the right topic.
7. Refinement by details (``REFINEMENTS``): a general intent becomes the specific one the
   details call for: "how do I cancel" from someone who is back in China is "cancel from
   abroad"; on a seller's SIM it is "SIM not registered to me"; "my SIM is blocked" from a
   foreigner who did not confirm the number is "cut off in 2025". A text that names only an
   operator asks for its contacts.
8. Long messages: the text is cut into sentences; the question-like ones are read (in one
   call, with the whole text), and the best confident one wins, so the question is found
   wherever it stands; a sentence counts only if the whole message (each distinct sentence
   once, its first and last 250 characters) points to the same answer. Failing that, the
   whole text is matched with a higher margin (``STORY_THRESHOLD``). Details come from the
   whole text. A long message with no confident question is a *story*: the handler offers
   the check. A sentence that is not a question, or a question the whole message does not
   back, was allowed to decide before (when read with a wide margin, or closing the message):
   on the held-out sets whose misses had been looked at (A-E, 185 long messages) those
   answers were wrong about as often as right (closing questions 4 right / 12 wrong, wide
   margins 4 / 6, other sentences 12 / 10), while the margin trades three or four right
   answers per wrong one, so they were dropped: 83.4% right / 4.9% wrong over A-E became
   82.1% / 2.5%.

Why this design. Every answer is deterministic (liblinear is seeded), explainable (each
intent's weight for each n-gram) and needs no network. Choices were made on ``python
bench/qa_cv.py`` (5-fold cross-validation over the examples, then the tuning set
tests/data/qa_eval.json; "confident and correct" / "confident wrong" over all languages);
``python bench/qa.py`` gives the held-out figures (every set, zh/ru/en right, then wrong),
for the record only. On the first round's 7.7k example questions (1.6k before):

- cosine + naive Bayes vote, the reader before this one (hand-written character trigrams,
  stems and Chinese bigrams): cv 67.9/5.5%, tuning 88.5/2.2%; A 76.5/80.9/82.4% 7.3%,
  B 80.3/83.0/79.6% 3.1%, C 62.3/61.4/72.1% 7.7%, D 77.9/83.6/82.4% 7.6%; on the 1.6k
  examples it had: cv 62.2/8.6%, D 69.5/80.8/80.9% 6.8%. Its cosine walks every example's
  postings: p99 4.8 ms per question with the new examples;
- a linear SVM on those hand-written features, alone (margin 0.4): cv 69.9/3.8%, tuning
  90.1/1.2%; A 79.6/79.4/76.5% 5.1%, B 83.3/80.9/75.5% 4.9%, C 76.6/66.7/75.4% 5.1%,
  D 80.0/86.3/88.2% 4.2%; put in naive Bayes's place as the vote: cv 69.8/8.2%;
- logistic regression (lbfgs) on the same features took 9 s to train, too slow for an index
  built at start, and was no better than the SVM as the vote or alone (1.6k examples);
- TfidfVectorizer char_wb + LinearSVC (shipped; n-grams 1-3, C 1, margins 0.35 with Chinese
  and 0.4 without): cv 74.4/2.9%, tuning 94.7/0.6%; A 81.6/82.4/77.9% 6.0%,
  B 84.8/87.2/79.6% 3.7%, C 77.9/64.9/78.7% 4.6%, D 85.3/87.7/91.2% 3.4%.
  On the first 5.6k examples: n-grams 1-4 and 1-5 gave as many right answers with 0.4-0.5
  points more wrong ones, 2-5 two points fewer right; a word-level TF-IDF added to it, or
  plain "char" n-grams, no better;
  C 0.5 or 2 and balanced class weights moved along the same curve; requiring the cosine's
  agreement as well (cv 67.4/3.2%) gave what a wider margin gives, so the cosine was
  dropped; requiring a positive decision value (59.9/2.8%) cost more than a wider margin;
  so did counting an intent and its refinement ("balance", "refund from abroad") as one
  answer (+0.8 right for +0.7 wrong).
- The margin trades right answers for wrong ones along one curve (cv right/wrong):
  0.30 77.1/3.8%, 0.35 75.4/3.2%, 0.40 73.7/2.8%, 0.45 71.8/2.4%, 0.50 69.5/2.2%: each
  step costs three to four right answers per wrong one removed. Chinese questions go wrong
  less often at the same margin (2.3% against ru 4.5%, en 4.2% at 0.35), hence the higher
  margin without Chinese, which brings the three languages' wrong rates closer together.
  A story's margin is 0.15 higher (0.1 before the second round, whose examples made a
  passing remark, "симок две, одна на брата", as sure as a question); the examples are
  mostly short questions, so the long-message rules (step 8) were judged on long messages.
- jieba (Chinese runs cut into words before the n-grams): cv zh 76.8/3.1% against
  76.8/3.0% without it (5.6k examples), for 0.6 s of dictionary loading: not taken.

With the writers' second round (11.4k example questions as shipped, the new ones aimed at
the borders between close topics and at near-domain off-topic) and the same margins: cv
77.5/2.4%, tuning 95.0/0.6%; A 84.7/82.4/77.9% 5.6%, B 86.4/83.0/79.6% 5.6%,
C 77.9/75.4/77.0% 4.6%, D 85.3/91.8/91.2% 3.4% (cv is not comparable with the figures above:
its held-out fifths now hold the harder border questions). Ways to cut confident wrong
answers, ``python bench/qa_options.py`` (cv right/wrong at the margins zh/without
Chinese/story 0.3/0.35/0.4, 0.35/0.4/0.45 (shipped, with the story's margin before this
round) and 0.4/0.45/0.5; the margin alone gives
79.3/2.8%, 77.6/2.5%, 76.0/2.1%, tuning 96.0, 95.0, 93.5% right, 0.6% wrong):

- a second model that must name the same answer when the margin is below 0.8: complement
  naive Bayes over the same n-grams 74.7/2.3, 73.7/2.1, 72.7/1.8%; a word-level SVM (words
  and pairs) 72.6/1.8, 71.5/1.6, 70.5/1.5%, since Chinese runs are not words (zh 74.5% right
  against 86.6%); plain character n-grams of 2-4, 78.4/2.6, 76.8/2.3, 75.4/2.0%: every one
  below the margin's own curve, or on it;
- the word-level SVM asked only about texts without Chinese: 78.2/2.3, 76.7/2.1, 75.3/1.8%,
  tuning 95.7, 95.0, 93.5%: about 0.7 points more right answers at the same wrong share,
  the one option above the curve; not taken yet (a second model to train at start, for
  less than one point), the first thing to try next;
- CalibratedClassifierCV (Platt scaling, 3 folds), the margin between log-probabilities of
  1.0 / 1.5 / 2.0: 71.8/3.6, 61.5/2.1, 50.0/1.0%, tuning 88.5/1.2% at best, and 1.8 s of CPU
  to train: far worse, and too slow for the start;
- a margin 0.2 wider against the partner of the 15 pairs cross-validation confuses most
  (balance / refund, in person / find a store...): 78.4/2.6, 76.7/2.2, 75.0/1.9%: on the
  curve, since those pairs confuse each other both ways;
- C 0.5: 76.3/2.3, 74.1/2.0, 71.9/1.7%; C 2: 80.8/3.2, 79.5/2.9, 78.4/2.6% with 0.9% wrong on
  the tuning set: both along the same curve.

So the margins stay where they were; what cut the wrong answers is the material (the border
examples) and the details read right.

Third round (31k example questions, 1.6k off-topic: writers who started from the user's
side, relatives, workers and students from many countries, Russian typed in Latin letters,
1,000 long messages labelled by their main question, paraphrases that avoid the usual words,
near-identical pairs across close topics): cv 83.3/1.4% at the same margins (zh 88.8/0.9%,
ru 79.0/1.7%, en 81.5/1.6%; 0.30: 85.2/1.8%, 0.40: 83.0/1.3%: the same trade as before, so the
margins stay). Over the five looked-at sets A-E together: 83.9/4.7% at the start of the round,
83.2/2.4% with step 8's long-message rule alone, 85.9/3.0% with the examples. The word-level
SVM asked about texts without Chinese, measured again: cv +1 point at the same wrong share,
but A-E 85.4/2.8% against 85.7/3.0%: still not worth a second model. Dropping the 435
examples (1.3%) that the rest of the material, out of fold, reads confidently as another
answer gave A-E +0.6 right at the same wrong share: within noise, and half of them were
right, only hard; not done. Four fresh blind sets, each sealed until measured at the end
(before / after the round, zh, ru, en right, then wrong): F 94.4 / 93.3, 89.4 / 89.4,
96.7 / 95.1%, 1.9 / 1.9%; G 86.5 / 86.5, 86.5 / 88.5, 90.3 / 95.8%, 4.0 / 4.8%; H and I
(each measured once, on the final reader) 82.8 / 84.4, 87.2 / 90.7, 87.1 / 91.4%,
6.7 / 5.3% and 89.4 / 88.6, 85.6 / 92.2, 85.3 / 88.0%, 3.1 / 3.1%; J (the same, after
contrast examples for a Russian SIM bought on a trip and for a blocked number) 92.0 / 88.4,
90.8 / 94.3, 88.7 / 90.1%, 4.1 / 1.7%, off-topic answered 2/31 both. So the gains on A-E
carried over to fresh questions in Russian and English (+1 to +7 points), not in Chinese,
where the reader now answers less often and less often wrongly. J's misses then showed
"电报" (Telegram the app: "绑了电报") read as a SIM bought on Telegram; fixed. Most of the
wrong answers left on G and H are a neighbouring topic whose text also answers the question
("can the kiosk near my dorm do it" read as "where is the operator's store", whose text says
a dealer's kiosk may not end contracts), which the set's writer mapped to another topic; the
rest are the same pairs as before.

Fourth round: topics that answered each other's questions became one. Six pairs, whose wrong
answers were mostly the neighbour (in person / where is the store, before cancelling /
leaving soon, balance / refund time, a representative / a power of attorney from abroad,
stopping using it / the daily fee, the 保号卡 / keeping a number from abroad), and later two
more (see below), are one topic each whose answer holds both texts (``MERGED_INTO`` keeps older buttons working); with the
phrases the held-out sets mapped to either part mapped to the merged topic, A-J went from
88.4/3.0% to 90.7/1.9%, cv from 83.1 to 83.4/1.4%. A seller's SIM no longer follows from
"kiosk" or "卖卡的小摊" alone ("can the kiosk cancel it" asks where to go), and the bank
detail went with the one rule that used it (a checklist question naming a bank got the bank
answer: A-J +0.5 right, -0.5 wrong without it). Russian typed in Latin letters is read in
Cyrillic when no Latin word is near (step 4): cv ru 79.1 to 80.2%. "Which numbers are on my
passport" has one home (the self-ban topic, whose answer now opens with the list in
Gosuslugi), other Gosuslugi services and home internet are off-topic examples, and short
requests ("yota cancel", "расторжение договора теле2") have examples. cv at the end
83.8/1.4% (zh 88.9/0.9%, ru 80.1/1.8%, en 81.9/1.6%). Measured and not taken: answering the
general topic when its runner-up is the same topic refined by a detail the text does not
give ("how to cancel" over "cancel from abroad" with no sign of being abroad): A-J +0.3 right
for +0.2 wrong; the merge of "in person" into "how to cancel": A-J +0.1 right, +0.1 wrong. Fresh
blind sets, each mapped by a second reader (not its writer) and measured once, sealed (this
round's reader at that point / the round's first reader, counted right whenever it gave
either part of a merged topic, which favours it): K+L after the merges, zh 92.6/92.3,
ru 88.2/88.7, en 92.4/91.8%, wrong 2.0/2.2%; M+N after the Latin-letter Russian,
88.0/88.0, 89.3/89.3, 90.2/89.6%, 2.1/2.3%; O+P, 93.1/91.3, 89.7/88.1, 93.0/91.1%,
1.9/1.9%; Q+R, 95.2/93.4, 88.9/87.9, 90.6/87.5%, 1.6/1.9%; S to X on the reader after Q+R's
examples, 91.2/89.6, 93.3/91.7, 93.3/92.4%, 1.7/1.7%, off-topic answered 5/201; Y+Z after
a last few examples (the 保号卡's lifetime, "only at a store?", 国家服务 for Gosuslugi),
90.2/88.3, 89.2/86.5, 90.5/90.5%, 2.6/2.4%, 0/88; AA+AB after the last merges (the refund
from abroad into the balance topic, a foreigner's blocked number into "why was my SIM
blocked?"), 95.5/95.5, 91.6/88.5, 91.8/91.8%, 1.6/1.7%, 0/85 (the reader before these merges,
counted the same way: 95.8, 91.6, 92.4%, 1.4%: the merges change what users read, not the
figures). One set of about 350 moves by four points either way: across S-AB (3,462 questions
on the last three readers) 92.0, 91.9, 92.3%, 1.9% wrong, 5/374 off-topic answered; but 6 of
the 10 sets miss some target on their own.

Fifth round. Three more pairs became one topic each (a seller's or employer's SIM into "SIM not
registered to me", getting the number back into "SIM blocked: why, and getting it back",
changing the number in apps into "before cancelling"): on the fresh sets AC-AF, measured on
the round's first reader, they were the commonest wrong answers. Leaving Russia is read in more
countries and cities, in "уже дома" and "can't travel to Russia" (+9 right, -3 wrong over all
looked-at sets); a text that does not say where the user is no longer holds back "how to cancel"
for "cancel from abroad" (+10 right, +1 wrong; holding back no refinement at all: +31, +7);
a SIM read as someone else's while the passport was lost is the lost-passport answer, and the
balance of a seller's SIM the seller's-SIM answer. Latin and Cyrillic words and word pairs are
read beside the n-grams (step 5): cross-validation 84.2/1.4% to 85.4/1.3% (ru 80.6 to 82.1%, en
82.3 to 84.5%, zh unchanged); weights 0.3, 0.5, 0.6, 0.7, 1.0 gave 84.9/1.3, 85.4/1.3,
85.5/1.2, 85.6/1.2, 85.7/1.3%, and 0.5 keeps Chinese where it was. Measured and not taken: a
long message written per intent by three writers (2,000 examples: -18 right, -6 wrong over the
looked-at sets, stories still about 70% right); a lower margin without Chinese (0.35:
cross-validation +0.6 right for +0.1 wrong, the margin's own trade); reading a story's whole
text or its question with lower margins (+19 right for +14 wrong); wordllama's vectors beside the
n-grams (``bench/qa_libraries.py``). Fresh blind sets, each mapped by a second reader and
measured once, sealed, on the reader of the moment (zh, ru, en right, confident wrong,
off-topic answered): AC-AF on the round's first reader 94.4, 92.8, 89.3%, 2.3%, 1/128; AG-AJ
after the merges 93.5, 91.3, 90.3%, 2.0%, 1/133; AK+AL 93.6, 89.9, 93.1%, 2.1%, 1/70; AM-AP
after the place words and the unstated place 93.2, 92.5, 89.1%, 1.7%, 0/131; AQ-AT with the
word features 92.1, 91.6, 90.8%, 2.3%, 1/140 (AQ and AT meet every target, AS misses them all:
three of its wrong answers are a SIM swap its reader mapped to the other scams); AU-AX on the
round's final reader 94.3, 93.6, 92.9%, 1.95%, 1/144 (AU, AW and AX meet every target; AV,
half of it short colloquial texts, 89.1, 90.1, 88.9%, 3.6%). Then five examples of saving the
contacts stored on the SIM (a question in almost every set, so its copies had left the examples
as the sets were sealed): AU-AX 1.8% wrong. AY-BB, written once the reader was final: 93.7,
94.0, 95.2%, 1.6%, 1/140 (AZ and BB meet every target; AY has 2.5% wrong, BA ru 89.4%). The final
reader's eight sets together (2,658 questions on topic): 94.0, 93.8, 94.1%, 1.8% wrong, 2/284
off-topic answered, five of the eight meeting every target alone. All twenty-six sets of the
round, each on the reader of its moment (8,633 on topic): 93.5, 92.4, 91.4%, 2.0% wrong, 6/886.
Cross-validation at the end 85.5/1.3% (zh 89.4/0.9%, ru 82.1/1.5%, en 84.5/1.3%).

Sixth round. The margin without Chinese is 0.45 (was 0.4): over the twenty-six blind sets already
looked at (AC-BB, 8,633 questions) -6 right, -11 wrong answers; cross-validation 85.4/1.3% to
84.8/1.1% (ru 82.0 to 81.0%, en 84.5 to 83.7%). The same step for Chinese (0.4) was -9 right, -4
wrong: not taken. This round's blind writers were each asked for another kind of user (students,
workers, tourists, people long back home, imperfect English and Russian, fast mixed-script
typing, relatives asking for someone); their sets proved harder than the fifth round's (two
fifth-round sets mapped again under this round's mapping brief moved by about a point, so the
gap is the questions). Sealed and measured once each, on the reader of the moment (zh, ru, en
right, confident wrong, off-topic answered; the round's first reader on the same questions
after the slash): BC-BF 90.5, 90.4, 89.9%, 2.8%, 0/155 / 90.7, 91.1, 90.4%, 2.8%; then Russian
place names typed in Latin letters ("iz kitaya", "v urumchi") and the foreigners' answer saying
that a number cut off for want of confirmation is blocked, not cancelled: BG-BJ 89.7, 88.0,
88.9%, 3.8%, 0/161 / 89.6, 87.8, 89.6%, 3.8%; then two topics people asked about in almost every
set and got the checklist or nothing for (saving the contacts stored on the SIM, paid
subscriptions on the number), 1,550 short examples written per topic by three writers from the
topics' answers (over the looked-at sets +35 right, +5 wrong), more greetings and thanks ("在吗
问个事", "можно задать вопрос", "рахмат"), and, with no word on where the user is, the general
answer when "from abroad" is only just ahead of it: BK-BN 89.3, 90.8, 89.4%, 4.4%, 1/160 /
88.6, 89.7, 89.7%, 4.4%; then the two scam topics are one ("expiring" calls and "SIM limit"
messages answered each other's questions): BO-BR on the final reader 91.6, 92.1, 91.4%, 2.9%,
2/161 / 90.2, 90.8, 89.8%, 3.4% (the first reader counted right when it gave either scam
topic). Measured and not taken: moving the examples of foreigners' numbers cut off for want of
confirmation from "SIM blocked" to the foreigners' rules, which this round's mappers chose for
them: BC-BN +11 right, -22 wrong, but AC-BB -92 right, +56 wrong (their mappers chose "SIM
blocked"). Most wrong answers left are two topics whose texts both answer (a foreigner's number
cut off: "SIM blocked" or the 2025 rules; the documents a foreigner needs), roaming read as
keeping the number, and Gosuslugi «SIM-карты» for a number blocked there.

Costs (``bench/qa.py``, a 2-core machine): importing this module (scikit-learn) about 0.8 s,
training about 8 s of CPU on the 31k examples with the word features (6 s without them, 1.3 s
on 11k), once per process (every index built from the bundled material shares the model);
with a ``ModelStore`` (the bot keeps the model in MODEL_CACHE_DIR) a start after the first
loads it in about 30 ms. 0.8 ms of CPU per question (p99 1.7 ms), a 4,000-character message
about 5-6 ms. The library is taken over
hand-written code: its n-grams with the same solver gave 4.5 points more right answers and a
quarter fewer wrong ones on cross-validation than the hand-written features, and a
hand-written trainer (an averaged perceptron, measured before) cost 0.7 s for a weaker model.

Seventh round. Details that pick the neighbouring answer a question asks for (``unconfirmed``,
``no_store``, ``documents``, ``reclaim`` in ``REFINEMENTS``) and a topic of its own for a
foreigner's number cut off in 2025, which readers could not tell from "SIM blocked" and the 2025
rules. Where answers changed, the looked-at sets' phrases they could answer were mapped again
(tests/data/qa_heldout_intents.json's note). Sealed, on the reader of the moment: BS-BV, each
written for one kind of user, 85.9, 85.7, 86.2%, 5.1% wrong; BW-BZ 92.4, 91.6, 92.5%, 2.35%;
CA-CD, used to choose the new topic, 91.4, 91.1, 92.4%, 1.99% (without it 91.4, 90.9, 91.6%,
2.05%); DA-DD, never used for a choice, on the final reader 94.5, 93.7, 93.8%, 1.91%, 0/157.

On fresh sets (>= 90% per language, <= 2% wrong) the targets are met pooled, at the edge for
wrong answers: a single set of about 400 questions moves by a point or more (DA-DD per set 1.1
to 2.4% wrong), and sets written for one hard kind of user (two needs in one message, keyword
typing) fall well short. Most wrong answers left are a topic whose text also answers the
question, mapped elsewhere by the set's reader, or a question no topic answers (logging in to
Gosuslugi when the code goes to a dead number) read as its nearest topic.

Libraries measured earlier on the cosine reader (``bench/qa_libraries.py``): pymorphy3
lemmas gave nothing for Russian; all-MiniLM-L6-v2 embeddings (English-only) were far worse
and took hundreds of ms per question.
Traditional Chinese: opencc-python-reimplemented's own converter takes ~20 ms for 4,000
characters and zhconv is GPL-licensed, so its character table is applied with
``str.translate`` (microseconds).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache
from importlib import metadata, resources
from typing import Protocol

import numpy as np
import sklearn
from rapidfuzz import process
from rapidfuzz.distance import OSA
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from flows.knowledge import ENTRIES, Entry
from flows.operators import load_operators

LANGUAGES: tuple[str, ...] = ("zh", "ru", "en")
# The margin by which the best intent must lead (the SVM's decision values), for a text with
# Chinese in it and for one without: chosen by 5-fold cross-validation on the examples and the
# tuning set (bench/qa_cv.py), the one without Chinese then raised from 0.4 on the blind sets
# already looked at (see "Sixth round" above); sealed sets are never used.
DEFAULT_THRESHOLD = 0.35
WORD_THRESHOLD = 0.45
STORY_THRESHOLD = 0.5  # in a story, a question must stand out more than on its own
FALLBACK_SIZE = 3
CONTACTS_ID = "contacts"  # the intent a bare operator name asks for
_OFF_TOPIC_ID = "__off_topic__"
_WHOLE_TEXT_EDGE = 250  # a long text is matched as a whole on its first and last 250 characters
_PIECE_MAX = 300  # a longer sentence is cut at commas too
_MAX_PIECES = 8
_STORY_MIN_CHARS = 80
_THANKS_MAX_CHARS = 40  # "thanks, that helped a lot!" is thanks; a long text with thanks in it is not


class Kind(StrEnum):
    """What kind of message it is; only QUESTION and STORY are matched to intents."""

    QUESTION = "question"
    STORY = "story"  # several sentences about one's situation
    GREETING = "greeting"
    THANKS = "thanks"
    ACK = "ack"  # "ok", "好的", "понятно": heard, nothing asked
    TIME = "time"  # a time typed outside a reminder step
    EMPTY = "empty"  # nothing to read (emoji, punctuation)


def operator_aliases() -> dict[str, str]:
    """Operator id -> a regular expression of the ways people type its name, from the shipped
    operator registry (flows/data/operators.json; the bot passes its own registry instead).

    Patterns run on normalised text (casefolded, punctuation turned into spaces, ё→е) and
    match whole words only; Cyrillic patterns take inflected forms ("в Мегафоне", "у Йоты").
    """
    return load_operators().aliases_by_id()


# --- details ------------------------------------------------------------------------


class Where(StrEnum):
    IN_RUSSIA = "in_russia"
    LEAVING = "leaving"  # about to leave Russia
    ABROAD = "abroad"  # has already left


class SimType(StrEnum):
    TRAVEL = "travel"  # a travel SIM/eSIM from a non-Russian provider: no Russian contract
    DATA = "data"
    KEEP = "keep"
    ESIM = "esim"


class Holder(StrEnum):
    SOMEONE_ELSE = "someone_else"
    SELLER = "seller"  # bought from a Telegram/WeChat seller, or on a company's name


class Passport(StrEnum):
    CHANGED = "changed"  # lost, stolen, expired or replaced


@dataclass(frozen=True, slots=True)
class Details:
    """What the question says about the user's case; None where it says nothing."""

    operator: str | None = None
    where: Where | None = None
    sim: SimType | None = None
    holder: Holder | None = None
    passport: Passport | None = None
    definition: bool = False  # "what is ...?"
    unconfirmed: bool = False  # a foreigner's number not confirmed under the 2025 rules
    no_store: bool = False  # asks for a way without going to a store, or online
    documents: bool = False  # asks what papers ending the contract needs
    reclaim: bool = False  # asks to get back a number cancelled or given to someone else


# Countries people go home to, for "now in ...", "went back to ...", "сейчас в ..." (never
# "from ...": where one comes from is not where one is).
_COUNTRIES_EN = ("china|taiwan|hong kong|macau|india|pakistan|bangladesh|nepal|sri lanka|egypt|morocco|algeria|"
                 "tunisia|kenya|nigeria|ghana|ethiopia|tanzania|uganda|zambia|zimbabwe|cameroon|sudan|vietnam|"
                 "laos|mongolia|uzbekistan|tajikistan|kyrgyzstan|kazakhstan|turkmenistan|iran|iraq|syria|turkey|"
                 "korea|japan|malaysia|singapore|indonesia|thailand|brazil|mexico|colombia|ecuador|peru|my country|"
                 "germany|france|italy|spain|portugal|poland|czechia|austria|switzerland|netherlands|holland|belgium|"
                 "the uk|england|britain|scotland|ireland|the us|usa|america|the states|canada|australia|new zealand|"
                 "israel|armenia|georgia|azerbaijan|belarus|serbia|finland|sweden|norway|denmark|estonia|latvia|"
                 "lithuania|greece|cyprus|dubai|the uae|philippines|cambodia|myanmar|afghanistan|jordan|lebanon|"
                 "argentina|chile|venezuela|cuba|south africa|my home country|"
                 # Cities that stand for the country in a message: "I'm back in Shanghai".
                 "beijing|shanghai|guangzhou|shenzhen|chengdu|wuhan|hangzhou|harbin|taipei|tashkent|bishkek|"
                 "almaty|astana|dushanbe|yerevan|tbilisi|baku|minsk|istanbul|berlin|london|paris|seoul|tokyo|delhi")
_COUNTRIES_RU = ("китае|тайване|гонконге|индии|пакистане|бангладеш|непале|египте|марокко|кении|нигерии|гане|"
                 "вьетнаме|монголии|узбекистане|таджикистане|кыргызстане|киргизии|казахстане|туркмении|"
                 "туркменистане|иране|ираке|сирии|турции|корее|японии|малайзии|индонезии|бразилии|своей стране|"
                 "германии|франции|италии|испании|португалии|польше|чехии|австрии|швейцарии|нидерландах|голландии|"
                 "бельгии|англии|великобритании|британии|ирландии|сша|америке|штатах|канаде|австралии|израиле|"
                 "армении|грузии|азербайджане|беларуси|белоруссии|молдове|молдавии|сербии|финляндии|швеции|"
                 "норвегии|дании|эстонии|латвии|литве|греции|кипре|оаэ|эмиратах|таиланде|тайланде|филиппинах|"
                 "афганистане|аргентине|кубе|"
                 "пекине|шанхае|гуанчжоу|харбине|ташкенте|бишкеке|алматы|астане|душанбе|ереване|тбилиси|баку|"
                 "минске|стамбуле|дубае|берлине|лондоне|сеуле")
# Read from the normalised, Simplified text. Order matters within a detail: the first
# pattern that matches decides. Patterns match whole words, so a Russian stem takes its
# endings explicitly ("за границ[а-я]*": за границей, за границу).
_WHERE_PATTERNS: tuple[tuple[Where, str], ...] = (
    # A time ahead makes "回国了" / "back home" a plan, not a fact: "下个月就毕业回国了".
    (Where.LEAVING, r"(?:下个月|下周|下星期|下礼拜|明年|月底|年底|快要|准备|打算|马上|过几天|过两天|下学期|毕业后|即将|"
                    r"[一二两三四五六七八九十几0-9]+ ?(?:天|周|个星期|个月)(?:后|以后|之后))"
                    r"[^ ]{0,8}?回(?:国|中国|家)|"
                    r"(?:i ?ll|i will|will|going to|gonna|about to|plan(?:ning)? to|going|go|flying|fly|heading|head|"
                    rf"moving|move)(?: be)? (?:back )?(?:home|to (?:{_COUNTRIES_EN})|in china)|"
                    r"вернусь|поеду домой|полечу домой|"
                    # Russian typed in Latin letters: "uezzhayu cherez nedelyu"
                    r"uy?ez+h?a[yj]u|uedu|uleta[yj]u"),
    (Where.ABROAD, r"已经回国|已回国|(?<![要就快备将])回国了还|回国后|回国以后|(?<![要就快备将])回国了|刚回国|回到国内|人在国内|现在在国内|我在国内|人在中国|现在在中国|"
                   r"在中国(?!办|买|开)|(?<!我)在国外(?!留学|读书|上学|学习)|人在国外|在境外|已经离开俄|不在俄罗斯|回台湾|在台湾|回香港|在香港|"
                   r"回澳门|在澳门|人在北京|人在上海|(?:人在|现在在|我在|回到|回了|已经在)(?:北京|上海|广州|深圳|成都|杭州|南京|武汉|西安|重庆|天津|哈尔滨|沈阳|长春|大连|青岛|厦门|苏州|郑州|长沙|昆明|乌鲁木齐|福州|合肥|济南|南宁|台北|老家)|"
                   r"already left|left russia|back in china|back home|(?:im|i m|i am|now|already) home|im in china|i am in china|"
                   r"from abroad|outside russia|not in russia|now in china|in china now|without (?:flying|going|coming|travell?ing) back|"
                   r"(?:can ?t|cannot|won ?t|will not|never) (?:travel|go|come|fly|return)(?: back)? to russia|"
                   r"(?:back|now|currently|living|live|lives|staying|is|are|am|im|i m)(?: now| currently)? in "
                   rf"(?:{_COUNTRIES_EN})|(?:went|gone|go|got|came|come|moved|flew|returned|travell?ed)(?: back)? "
                   rf"(?:home|to (?:{_COUNTRIES_EN}))|"
                   r"(?:call|calling|reach|contact|cancel|close|do|top up|pay|dial|it|number|sim|card) from china|"
                   r"уехал|уехала|уже не в росси[а-я]*|за границ[а-я]*|за рубеж[а-я]*|из за границы|из китая|в китае|дома в|"
                   r"не в росси[а-я]*|вернулся домой|вернулась домой|уехал домой|уже дома|сейчас (?:я )?дома|"
                   rf"(?:сейчас|уже|живу|нахожусь|я) в (?:{_COUNTRIES_RU})|"
                   # Russian typed in Latin letters: "ya v kitae", "uzhe uehal"
                   r"v kitae|uehal[a]?|uekhal[a]?|za granic[a-z]*|za rubezh[a-z]*|u(?:zh|j|z)e doma|ya doma|doma v [a-z]+|"
                   r"iz kitaya|v (?:pekine|shanhae|urumchi|harbine|tashkente|bishkeke|almaty|astane|dushanbe|erevane|minske)"),
    (Where.LEAVING, r"要回国|准备回国|快回国|回国前|下周回国|离开俄罗斯前|要离开俄罗斯|毕业回国|下个月走|要走了|"
                    r"leaving russia|leave russia|leaving the country|before leaving|moving back|flying out|"
                    r"flying home|fly home|leave in|leaving in|leav(?:e|ing) (?:next|this|soon|tomorrow)|"
                    r"уезжаю|уеду|перед отъездом|собираюсь уехать|улетаю|улечу"),
)
# Where one comes from, or a Chinese company's name, says nothing about where one is now:
# "я студент из Китая", "I'm from China", "我是中国留学生", "中国银行". Cut out before the above.
_NOT_WHERE_PATTERN = (r"(?:я|мы|сам|сама|родом|студент[а-я]*|студентк[а-я]*|приехал[а-я]*|прилетел[а-я]*|"
                      r"вернул[а-я]*|возвращени[а-я]*|приезд[а-я]*) из китая|"
                      r"(?:ya|my|student[a-z]*|priehal[a-z]*|priekhal[a-z]*) iz kitaya|"
                      r"(?:i m|im|i am|we re|we are|were|student|students|came|come|arrived|flew in|back) from china|"
                      r"中国(?:人|留学生|学生|银行|移动|联通|电信|工商银行|建设银行|农业银行|招商银行)|来自中国")
_SIM_PATTERNS: tuple[tuple[SimType, str], ...] = (
    (SimType.TRAVEL, r"淘宝|旅游卡|旅行卡|旅游esim|旅行esim|境外流量卡|airalo|holafly|travel ?e?sim|tourist ?e?sim|"
                     r"туристическ[а-я]* (?:e?sim|есим|симк[а-я]*)"),
    (SimType.ESIM, r"e ?sim|есим|е ?сим|esim卡"),
    (SimType.KEEP, r"保号|number keeping|keep (?:the|my) number|ради номера|сохранить номер|"
                   r"для сохранения номера"),
    (SimType.DATA, r"流量卡|流量咔|上网卡|data ?(?:only )?sim|internet ?only|только для интернета|для интернета|"
                   r"для модема|для роутера"),
)
_HOLDER_PATTERNS: tuple[tuple[Holder, str], ...] = (
    # "电报" alone is Telegram the app ("绑了电报"), not where the SIM was bought; "can the kiosk
    # (卖卡的小摊) cancel it" asks where to go, so only buying there counts.
    (Holder.SELLER, r"(?:电报|telegram|tg|微信|wechat) ?(?:上|群里|群|里)(?:找人)?(?:买|购|办)|在 ?(?:电报|telegram|tg) ?上|"
                    r"找人买|卖家|卖卡的人|从卖卡的|跟卖卡的|闲鱼|淘宝|代理买|中介|公司的名|公司名下|企业卡|"
                    r"seller|reseller|sold (?:me|it)|bought (?:it )?(?:on|from|in) (?:telegram|wechat)|corporate|company|"
                    r"employer|(?:bought|got) (?:it |the sim |a sim )?(?:at|from) (?:a |the )?(?:\w+ )?kiosk|on the market|"
                    r"продав[а-я]*|перекуп[а-я]*|корпоратив[а-я]*|на фирм[а-я]*|на компани[а-я]*|на организаци[а-я]*|работодател[а-я]*|через телеграм|"
                    r"(?:купил|купила|купили|брал|брала|взял|взяла|продал|продали) .{0,25}(?:в переходе|на рынке|в киоске)"),
    (Holder.SOMEONE_ELSE, r"别人的护照|朋友的护照|同学的护照|不是我的名字|不是我本人|学长|学姐|室友|房东|家人的|妈妈的|爸爸的|"
                          r"别人名下|朋友名下|用别人|"
                          r"他的护照|她的护照|他的名字|她的名字|别人办的|"
                          r"someone else|somebody else|friend ?s? passport|friend ?s? name|landlord ?s?|landlady ?s?|flatmate ?s? passport|roommate ?s? passport|not in my name|"
                          r"not my name|registered to my|in my mother|in my father|(?:his|her|their) passport|"
                          r"(?:his|her|their) name|"
                          r"на (?:друг[аеу]|подруг[еуи]|мам[еуы]|пап[еуы]|брат[аеу]|сестр[еуы]|знакомо(?:го|м)|сосед[аеу])|"
                          r"на чуж[а-я]*|чужом паспорт|чужой паспорт|не на меня|не на мое имя"),
)

_PASSPORT_PATTERN = (r"护照丢|护照掉了|护照被偷|丢了护照|护照过期|新护照|换了护照|换护照|旧护照|"
                     r"lost (?:my )?passport|passport (?:was )?stolen|new passport|old passport|passport expired|"
                     r"replacement passport|паспорт укра[а-я]*|потерял паспорт|потеряла паспорт|утерян[а-я]*|новый паспорт|"
                     r"поменял паспорт|поменяла паспорт|старый паспорт|старом паспорте|замена паспорта|без паспорта")
_DEFINITION_PATTERN = r"是什么|什么是|啥是|是啥|what is|what s|whats|what does|что такое|что это|это что|что значит"
# The 2025 confirmation of foreigners' numbers: its deadline, or not having done it.
_UNCONFIRMED_PATTERN = (r"(?:没|没有|没去|没做|没去做|没有去|未|未做)(?:外国人)?(?:号码)?(?:确认|认证|验证|核验|实名|做生物识别|生物识别)|"
                        r"7 ?月 ?1 ?[号日]|七月一[号日]|7 ?月份? ?(?:以后|之后|后|起)|七月(?:份)?(?:以后|之后)|外国人(?:的)?新规|"
                        r"外国人要(?:重新)?(?:确认|认证)|没去营业厅确认|1 iyulya|"
                        r"не (?:(?:прош|сдал|сделал|успел)[а-я]* )?(?:подтвер|биометри)[а-я]*|"
                        r"неподтвержд[а-я]*|(?:до|после|с) 1 июля|(?:с|после) июля|по новому закону|"
                        r"нов[а-я]* (?:закон[а-я]*|правил[а-я]*) для иностранц[а-я]*|"
                        r"(?:didn t|did not|didnt|never|not|haven t|havent|wasn t|wasnt) (?:do the |did the |get |got )?"
                        r"(?:verif[a-z]*|confirm[a-z]*|biometric[a-z]*)|unverified|unconfirmed|"
                        r"(?:july 1|1 july|july 2025|(?:in|since|after) july)|"
                        r"new (?:law|rules?|registration rules?) for foreigners|(?:didn t|didnt|did not|never) do (?:the )?biometric[a-z]*")
_ENDING_WORDS = r"注销|销户|销号|растор[гж][а-я]*|cancel[a-z]*|terminat[a-z]*"
_CANCEL_WORDS = rf"(?:{_ENDING_WORDS}|停用|退卡|закры[а-я]*|clos[a-z]*)"
_PAPER_WORDS = (r"(?:snils|снилс|带|材料|证件|护照|паспорт[а-я]*|passport|документ[а-я]*|documents?|papers|bring|"
                r"биометри[а-я]*|biometric[a-z]*|生物识别)")


def _near(first: str, second: str, span: int) -> str:
    """Both patterns within ``span`` characters of each other, in either order."""
    return rf"{first}.{{0,{span}}}?{second}|{second}.{{0,{span}}}?{first}"


_DOCUMENTS_PATTERN = _near(_CANCEL_WORDS, _PAPER_WORDS, 60)
_RESTORE_WORDS = (r"(?:恢复|找回|要回|拿回|восстанов[а-я]*|вернуть|(?:get|getting|have|take|want)(?: [a-z]+){0,3} back|"
                  r"recover[a-z]*|restor[a-z]*|reactivat[a-z]*)")
# Ended or given to someone else: a number merely blocked is the blocked answer's to get back.
_GONE_WORDS = (rf"(?:{_ENDING_WORDS}|回收|收回|给别人|别人用|отдали|другому|"
               r"closed|reassigned|recycled|reissued|taken back|someone else)")
_RECLAIM_PATTERN = _near(_RESTORE_WORDS, _GONE_WORDS, 40)
_NO_STORE_PATTERN = (r"不(?:用|想|必|需要)?(?:去|到|跑)(?:营业厅|店里|门店|实体店|门市|店)|"
                     r"without (?:going|visiting|coming|walking|a visit)(?: in| into| to)?(?: a| the| any| an)? ?"
                     r"(?:[a-z0-9]+ )?(?:shop|store|office|salon|branch)|"
                     r"без (?:личного )?(?:похода|визита|посещения|поездки)(?: в (?:салон|офис|магазин)[а-я]*)?|"
                     r"онлайн|online|网上办|线上办|在线办|"
                     r"не (?:ходя|приходя|идя|идти|ходить|ехать|приезжая) в (?:салон|офис)[а-я]*")
# The yes/no details, by their name in ``Details``.
_FLAG_PATTERNS: tuple[tuple[str, str], ...] = (
    ("definition", _DEFINITION_PATTERN),
    ("unconfirmed", _UNCONFIRMED_PATTERN),
    ("no_store", _NO_STORE_PATTERN),
    ("documents", _DOCUMENTS_PATTERN),
    ("reclaim", _RECLAIM_PATTERN),
)

# Intents that ask "how do I end it?" in one way or another; the details decide which
# answer fits the user's case.
_CANCELLING = ("cancel_how", "cancel_in_person", "cancel_documents", "cancel_online", "cancel_by_phone",
               "cancel_how_long")

# (intents read, detail, its value, intent answered): the first matching row wins.
REFINEMENTS: tuple[tuple[tuple[str, ...], str, object, str], ...] = (
    # "My passport is lost" stays about the passport, even in a story that names a friend.
    (("passport_changed",), "passport", Passport.CHANGED, "passport_changed"),
    (("term_esim", "sim_data_only", "cancel_how", "cancel_online"), "sim", SimType.TRAVEL, "travel_sim"),
    # A seller's SIM: its balance goes back to the holder, not the buyer (that answer says so).
    ((*_CANCELLING, "sim_data_only", "money_balance"), "holder", Holder.SELLER, "cancel_other_passport"),
    ((*_CANCELLING, "passport_changed"), "holder", Holder.SOMEONE_ELSE, "cancel_other_passport"),
    (("cancel_how", "cancel_documents", "cancel_in_person", "cancel_other_passport"), "passport", Passport.CHANGED,
     "passport_changed"),
    (("cancel_how", "cancel_in_person"), "where", Where.ABROAD, "cancel_from_abroad"),
    (("cancel_how", "cancel_from_abroad"), "where", Where.LEAVING, "before_checklist"),
    (("cancel_how",), "sim", SimType.ESIM, "term_esim"),
    # The number-keeping SIM's answer is what happens when it is left unused.
    (("lapse_do_nothing",), "sim", SimType.KEEP, "sim_keep_number"),
    # The data-only SIM's answer covers both routes, the store and Gosuslugi.
    (("cancel_how", "cancel_online"), "sim", SimType.DATA, "sim_data_only"),
    (("contacts", "cancel_by_phone"), "where", Where.ABROAD, "hotline_abroad"),
    (("cancel_online",), "definition", True, "what_gosuslugi"),
    # A number cut off for want of the 2025 confirmation has its own answer.
    (("sim_blocked",), "unconfirmed", True, "foreigners_cut_off"),
    # A number whose contract has ended is not "blocked": the recycling answer says what is left.
    (("sim_blocked",), "reclaim", True, "lapse_recycled"),
    # "Any way without going to a store?" asks for the online route.
    (("cancel_in_person",), "no_store", True, "cancel_online"),
    # "Does a foreigner need SNILS to cancel?" asks what to bring (that answer says it).
    (("foreigners_2025",), "documents", True, "cancel_documents"),
)


@dataclass(frozen=True, slots=True)
class Scored:
    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """``best`` is None only when there is nothing to match (empty, small talk, a time).

    ``best`` is the intent after refinement by the details; ``closest`` are the raw scores.
    """

    best: Scored | None
    confident: bool
    closest: tuple[Scored, ...]
    details: Details = field(default_factory=Details)
    kind: Kind = Kind.QUESTION

    @property
    def entry_id(self) -> str | None:
        """The intent to answer with, or None when the handler should fall back."""
        return self.best.entry_id if self.confident and self.best else None


@dataclass(frozen=True, slots=True)
class LanguageMaterial:
    examples: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DetailsReader:
    """Compiled patterns for folding text and reading details; built once with the index."""

    traditional: dict[int, str]
    operators: tuple[tuple[str, re.Pattern[str]], ...]
    where: tuple[tuple[Where, re.Pattern[str]], ...]
    not_where: re.Pattern[str]
    sim: tuple[tuple[SimType, re.Pattern[str]], ...]
    holder: tuple[tuple[Holder, re.Pattern[str]], ...]
    passport: re.Pattern[str]
    flags: tuple[tuple[str, re.Pattern[str]], ...]  # the yes/no details (_FLAG_PATTERNS)


@dataclass(frozen=True, slots=True)
class QAIndex:
    """Built once by ``build_index``; read-only afterwards, safe to share between tasks."""

    threshold: float  # the margin a text with Chinese in it needs
    word_threshold: float  # for a text with no Chinese in it
    story_threshold: float
    model: _Model
    reader: DetailsReader

    @property
    def entry_ids(self) -> tuple[str, ...]:
        """The real entries, then the off-topic pseudo-entry."""
        return self.model.entry_ids


_NON_WORD_RE = re.compile(r"[^\w]+|_")
# A space where Chinese meets Latin/Cyrillic/digits, so that "回国mts卡" reads as three words.
_SCRIPT_BOUNDARY_RE = re.compile(r"(?<=[\u3400-\u9fff])(?=[a-zа-я0-9])|(?<=[a-zа-я0-9])(?=[\u3400-\u9fff])")
_SEGMENT_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-zа-я0-9]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OPERATOR_MARK = "\x00"  # stands where an operator name was cut out; never a feature

# Function words carry no topic, nor does "Russia" (every question implies it): a text of
# nothing else is nothing to match.
_STOP_WORDS: frozenset[str] = frozenset(
    """
    a an the i me my mine you your we our us it its is are am was were be been being do does
    did done doing to of in on at for from by with about as and or but if so than then that
    this these those there here what whats which who whom whose how when where why can could
    should would will shall may might must need want get got have has had just also still
    please pls plz hi hello hey thanks thank any some no not dont doesnt cant wont im ive
    u ur r ok okay one ones something anything tell know happen happens happened again
    difference between same really guys bro sir lol haha
    для при через без под над и в во на с со к ко по за из от у о об а но или
    ли же бы не ни то это этот эта эти что чтобы как какой какая какие каким когда где куда зачем почему кто чем ли мне меня
    мой моя мое мои моего моей моим я ты вы вас вам ваш ваша он она они его ее их мы нас нам
    есть был была было были быть будет буду можно нужно надо могу может можете хочу хотел
    хотела уже еще все так там тут вот если ну да нет пожалуйста привет здравствуйте
    спасибо подскажите скажите делать сделать делаю сделал сделала
    russia russian россия россии россию российский российская российского российскую рф
    """.split()
)
# Chinese function words, longest first so that "怎么样" is removed before "怎么".
_ZH_STOP: tuple[str, ...] = tuple(
    sorted(
        """
        俄罗斯 俄国 怎么样 怎么办 是不是 能不能 可不可以 有没有 请问 怎么 怎样 如何 什么 为什么 可以 能否
        需要 我的 我们 你们 一下 这个 那个 还是 或者 已经 就是 的话 你好 您好 大家好 谢谢 吗 呢 吧 啊 呀 了 的 得 地
        我 你 他 她 是 在 有 和 与 就 都 也 想 会 能 么 嘛 哦 哈 啥 咋
        """.split(),
        key=len,
        reverse=True,
    )
)
_ZH_STOP_RE = re.compile("|".join(map(re.escape, _ZH_STOP)))

# Small talk: the whole message is only this (after normalising).
_GREETING_RE = re.compile(
    r"(?:(?:hi|hello|hey|hallo|good (?:morning|afternoon|evening)|привет|приветик|здравствуйте|здравствуй|"
    r"добрый (?:день|вечер|утро)|доброе утро|你好|您好|嗨|哈喽|哈啰|在吗|在不在|大家好|早上好|晚上好|"
    r"bot|бот|机器人|there|всем|anyone|anybody|here|is|everyone|guys|有人吗|有人在吗|在么|кто нибудь|есть кто|тут|"
    r"кто|нибудь|yo|hiya|sup|привки|подскажите|пожалуйста|please|вечер|день|"
    r"兄弟|兄弟们|朋友们|各位|亲|老铁|大佬|ребят|ребята|народ|друзья|люди|folks|friends|"
    r"privet|zdravstvuyte|zdravstvujte|dobryy den|dobryj den|dobriy den|"
    # An opener that only announces a question: "你好，想请问一下", "у меня вопрос".
    r"想请问一下|请问一下|想问一下|想问下|请问|问一下|打扰一下|打扰了|у меня вопрос|есть вопрос|можно вопрос|"
    r"问个事|问个问题|问件事|有个问题|想请教一下|请教一下|想咨询一下|咨询一下|"
    r"(?:можно|хочу|хотел[а]? бы) задать вопрос|"
    r"quick question|i have a question|can i ask something|can you help(?: me)?|help me|нужна помощь|помогите|"
    r"帮帮我|求助|求帮忙|"
    # ...and what it will be about, with no question yet: "想请教一下俄罗斯手机卡的事情".
    r"(?:关于)?(?:俄罗斯|俄国)?的?(?:手机卡|电话卡|sim卡|手机号|电话号码)的?(?:事情|事儿|事|问题)|"
    r"(?:with|about) (?:my |a )?(?:russian )?(?:sim(?: card)?|phone number|number)|"
    r"(?:по поводу|насчет|про) (?:моей |российской )?(?:симк[аиу]|сим карт[аыу]|номер[а]?))\s*)+"
)
_THANKS_RE = re.compile(
    r"(?:(?:thanks?|thank you|thx|ty|tnx|cheers|many thanks|спасибо|спс|благодарю|большое|огромное|谢谢|谢了|多谢|感谢|"
    r"非常|好的|好|ok|okay|ок|хорошо|понятно|got it|a lot|so much|you|你|您|啦|了|呀|bot|бот|"
    r"spasibo|spasibki|sps|bolshoe|рахмат|rahmat|брат|bro|太|真是|"
    # "谢谢，我知道该怎么做了": thanks, not a question about what to do.
    r"我知道该怎么做了|知道怎么做了|知道了|明白了|懂了|теперь понятно|теперь ясно|now i know what to do|"
    r"i know what to do now)\s*)+"
)
_THANKS_WORD_RE = re.compile(r"thank|thx|tnx|cheers|\bty\b|спасибо|спс|благодар|рахмат|rahmat|谢|感谢|spasib|\bsps\b")
_ACK_RE = re.compile(
    r"(?:(?:ok|okay|okey|k|kk|fine|alright|all right|cool|got it|i see|understood|noted|hm+|mm+|ah|oh|yes|yeah|"
    r"ок|окей|оке|хорошо|понятно|понял|поняла|ясно|ага|угу|хм+|ладно|норм|ок понял|"
    r"好的|好|好吧|嗯+|哦+|噢|明白了|明白|知道了|了解|懂了|行|收到|ok的)\s*)+"
)
# A time or a duration typed on its own: digits and time words only.
_TIME_RE = re.compile(
    r"(?:(?:\d+|[一二两三四五六七八九十半]+)|"
    r"分钟|分|小时|个|点|点钟|半|天|日|周|星期|月|号|后|以后|之后|明天|后天|今天|今晚|明早|早上|上午|下午|晚上|"
    r"min|mins|minute|minutes|h|hr|hrs|hour|hours|day|days|week|weeks|am|pm|in|at|tomorrow|today|tonight|"
    r"morning|evening|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"мин|минут|минуты|минуту|ч|час|часа|часов|день|дня|дней|неделю|недели|через|завтра|сегодня|"
    r"послезавтра|утра|утром|вечера|вечером|в|на|понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье"
    r")(?:\s*(?:\d+|[一二两三四五六七八九十半]+|分钟|分|小时|个|点|点钟|半|天|日|周|星期|月|号|后|以后|之后|明天|后天|今天|"
    r"今晚|明早|早上|上午|下午|晚上|min|mins|minute|minutes|h|hr|hrs|hour|hours|day|days|week|weeks|am|pm|in|at|"
    r"tomorrow|today|tonight|morning|evening|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"мин|минут|минуты|минуту|ч|час|часа|часов|день|дня|дней|неделю|недели|через|завтра|сегодня|послезавтра|"
    r"утра|утром|вечера|вечером|в|на|понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))*"
)
_DIGIT_RE = re.compile(r"\d|[一二两三四五六七八九十半]")
# Sentences: strong punctuation, or a full stop before a space or the end.
_SENTENCE_RE = re.compile(r"[。！？!?；;\n…]+|\.(?=\s|$)")
_COMMA_RE = re.compile(r"[，,、]")
_QUESTION_LIKE_RE = re.compile(
    r"[?？]|吗|呢|么|怎么|咋|如何|什么|能不能|可不可以|可以|是否|多久|多少|哪里|哪儿|"
    r"\b(?:how|what|can|could|do|does|is|are|should|will|where|when|why|which|whom)\b|"
    r"\b(?:как|что|можно|ли|где|когда|почему|сколько|нужно|надо|куда|какие|какой|зачем)\b|"
    r"\b(?:kak|chto|4to|shto|mozhno|mojno|li|gde|kogda|pochemu|skolko|nuzhno|nado|kuda|kakie|kakoy|kakoi|zachem)\b",
    re.IGNORECASE,
)

_TYPO_MIN_LEN = 5
_TYPO_LONG_WORD = 8  # from this length on, two edits count as a typo, below it one
_TYPO_CACHE = 4096
# Russian typed in Latin letters, the common ways: letter groups first ("zh" is "ж"); "y" is
# "й" after a vowel ("moy", "staryy") and "ы" elsewhere ("zakryt").
_TRANSLIT_GROUPS = {"shch": "щ", "sch": "щ", "zh": "ж", "kh": "х", "ts": "ц", "ch": "ч", "sh": "ш", "yu": "ю",
                    "ya": "я", "yo": "е", "ju": "ю", "ja": "я"}
_TRANSLIT_LETTERS = {"a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
                     "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
                     "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "z": "з"}
_TRANSLIT_RE = re.compile("|".join(sorted(_TRANSLIT_GROUPS, key=len, reverse=True)) + "|[a-z]")
# The classifier: character n-grams of one to three characters seen in at least two examples,
# Latin/Cyrillic words and word pairs seen in at least two, weighted by _WORD_WEIGHT beside them,
# and the SVM's regularisation (5-fold cross-validation on the examples, bench/qa_cv.py).
_NGRAMS = (1, 3)
_MIN_DF = 2
_WORD_NGRAMS = (1, 2)
_WORD_TOKEN = r"[a-zа-я0-9]{2,}"  # the folded text is lower case, ё already е; Chinese has no words
_WORD_WEIGHT = 0.5
_SVM_C = 1.0


def _compile(patterns: Iterable[tuple[object, str]]) -> tuple:
    return tuple(
        (value, re.compile(rf"(?<![a-zа-я0-9])(?:{pattern})(?![a-zа-я0-9])")) for value, pattern in patterns
    )


@cache
def _traditional_table() -> dict[int, str]:
    """Traditional → Simplified, one character at a time (the table of opencc's t2s)."""
    text = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text("utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1 and targets:
            table[ord(source)] = targets.split()[0]
    return table


def build_reader(aliases: Mapping[str, str] | None = None) -> DetailsReader:
    return DetailsReader(
        traditional=_traditional_table(),
        operators=_compile((aliases or operator_aliases()).items()),
        where=_compile(_WHERE_PATTERNS),
        not_where=_compile([(None, _NOT_WHERE_PATTERN)])[0][1],
        sim=_compile(_SIM_PATTERNS),
        holder=_compile(_HOLDER_PATTERNS),
        passport=_compile([(Passport.CHANGED, _PASSPORT_PATTERN)])[0][1],
        flags=_compile(_FLAG_PATTERNS),
    )


def fold(text: str, traditional: Mapping[int, str]) -> str:
    """Simplified Chinese, NFKC, casefold, ё→е, punctuation to spaces, one space apart."""
    text = unicodedata.normalize("NFKC", text.translate(traditional)).casefold().replace("ё", "е")
    text = _SCRIPT_BOUNDARY_RE.sub(" ", _NON_WORD_RE.sub(" ", text))
    return " ".join(text.split())


def normalize(text: str, reader: DetailsReader | None = None) -> str:
    """``fold``, then each operator name replaced by its id (the form the tests read)."""
    reader = reader or build_reader()
    text = fold(text, reader.traditional)
    for operator_id, pattern in reader.operators:
        text = pattern.sub(f" {operator_id} ", text)
    return " ".join(text.split())


def _first(patterns: Sequence[tuple[object, re.Pattern[str]]], text: str) -> object | None:
    for value, pattern in patterns:
        if pattern.search(text):
            return value
    return None


def read_details(reader: DetailsReader, folded: str) -> Details:
    """The details a folded text gives; the operator named first wins."""
    operator, position = None, len(folded) + 1
    for operator_id, pattern in reader.operators:
        found = pattern.search(folded)
        if found and found.start() < position:
            operator, position = operator_id, found.start()
    return Details(
        operator=operator,
        where=_first(reader.where, reader.not_where.sub(" ", folded)),  # type: ignore[arg-type]
        sim=_first(reader.sim, folded),  # type: ignore[arg-type]
        holder=_first(reader.holder, folded),  # type: ignore[arg-type]
        passport=Passport.CHANGED if reader.passport.search(folded) else None,
        **{name: bool(pattern.search(folded)) for name, pattern in reader.flags},
    )


def _cut_operators(reader: DetailsReader, folded: str) -> str:
    for _, pattern in reader.operators:
        folded = pattern.sub(_OPERATOR_MARK, folded)
    return folded


def small_talk(folded: str) -> Kind | None:
    """GREETING, THANKS, ACK or TIME when the whole text is only that; else None."""
    if not folded:
        return None
    if _THANKS_WORD_RE.search(folded) and (
        _THANKS_RE.fullmatch(folded) or (len(folded) <= _THANKS_MAX_CHARS and not _QUESTION_LIKE_RE.search(folded))
    ):
        return Kind.THANKS
    if _GREETING_RE.fullmatch(folded):
        return Kind.GREETING
    if _ACK_RE.fullmatch(folded):
        return Kind.ACK
    if _DIGIT_RE.search(folded) and _TIME_RE.fullmatch(folded):
        return Kind.TIME
    return None


def _read_json(name: str) -> dict:
    return json.loads(resources.files("flows").joinpath("data", name).read_text("utf-8"))


def _languages(by_lang: Mapping[str, Mapping[str, list[str]]]) -> dict[str, LanguageMaterial]:
    return {
        lang: LanguageMaterial(tuple(m.get("examples", ())), tuple(m.get("keywords", ())))
        for lang, m in by_lang.items()
    }


def load_match_material() -> dict[str, dict[str, LanguageMaterial]]:
    """Per entry id, per language: example questions and keywords."""
    return _load_material()[0]


def load_off_topic_material() -> dict[str, LanguageMaterial]:
    """Per language: questions the bot must not answer (small talk, travel, prices)."""
    return _load_material()[1]


@cache
def _load_material() -> tuple[dict[str, dict[str, LanguageMaterial]], dict[str, LanguageMaterial]]:
    """knowledge_match.json and qa_off_topic.json, plus the example questions written per
    language in qa_examples_{zh,ru,en}.json."""
    return merge_examples(
        {entry_id: _languages(by_lang) for entry_id, by_lang in _read_json("knowledge_match.json").items()},
        _languages(_read_json("qa_off_topic.json")),
        {lang: _read_json(f"qa_examples_{lang}.json") for lang in LANGUAGES},
        [entry.id for entry in ENTRIES],
    )


def merge_examples(
    material: Mapping[str, Mapping[str, LanguageMaterial]],
    off_topic: Mapping[str, LanguageMaterial],
    written: Mapping[str, Mapping[str, Sequence[str]]],
    known_ids: Sequence[str],
) -> tuple[dict[str, dict[str, LanguageMaterial]], dict[str, LanguageMaterial]]:
    """Add example questions written per language ({language: {intent id or "__off_topic__":
    [questions]}}) to the material and the off-topic material.

    An unknown intent id or language raises ValueError: a misspelt id would silently teach
    nothing. A question written twice (once folded) is kept once; one written under two
    intents (off-topic counts as one) is dropped from both, since it teaches a contradiction.
    """
    unknown = sorted(({i for by_id in written.values() for i in by_id} - {*known_ids, _OFF_TOPIC_ID})
                     | ({*material} - {*known_ids}))
    if unknown or set(written) - set(LANGUAGES):
        raise ValueError(f"example questions for unknown intents or languages: {unknown or sorted(written)}")
    traditional = _traditional_table()
    combined = {**material, _OFF_TOPIC_ID: off_topic}
    merged: defaultdict[str, dict[str, LanguageMaterial]] = defaultdict(dict)
    for lang in LANGUAGES:
        questions = [(intent, text) for intent, by_lang in combined.items()
                     for text in (by_lang[lang].examples if lang in by_lang else ())]
        questions += [(intent, text) for intent, texts in written.get(lang, {}).items() for text in texts]
        owners: defaultdict[str, set[str]] = defaultdict(set)
        for intent, text in questions:
            owners[fold(text, traditional)].add(intent)
        kept: defaultdict[str, list[str]] = defaultdict(list)
        seen: set[str] = set()
        for intent, text in questions:
            key = fold(text, traditional)
            if len(owners[key]) == 1 and key not in seen:
                seen.add(key)
                kept[intent].append(text)
        for intent in dict.fromkeys([*combined, *kept]):
            own = combined.get(intent, {}).get(lang)
            if own is not None or kept[intent]:
                merged[intent][lang] = LanguageMaterial(tuple(kept[intent]), own.keywords if own else ())
    order = dict.fromkeys([*material, *(intent for by_id in written.values() for intent in by_id)])
    entries = {intent: merged[intent] for intent in order if intent != _OFF_TOPIC_ID and intent in merged}
    return entries, merged.get(_OFF_TOPIC_ID, {})


def _words(text: str) -> Iterable[tuple[bool, str]]:
    """Yield (is_chinese, segment) for each run of Chinese or Latin/Cyrillic/digits."""
    for segment in _SEGMENT_RE.findall(text):
        yield bool(_CJK_RE.match(segment)), segment


def _readable(model: _Model, cut: str) -> bool:
    """Whether a folded text with operator names cut out shares anything with the material
    beyond function words: a Chinese character, or half the letter triples of a word ("love"
    does, "xxxxx" does not, nor "zzz" for the end of "jazz", and gets "nothing to match"
    rather than a list of random topics)."""
    vocabulary = model.vectorizer.vocabulary_
    for is_chinese, segment in _words(cut):
        if is_chinese:
            if any(char in vocabulary for char in _ZH_STOP_RE.sub("", segment)):
                return True
        elif segment not in _STOP_WORDS and not (segment.isdigit() and len(segment) != 4):
            # Amounts and phone numbers say nothing about the topic; four digits may be a year.
            padded = f" {model.correct(segment)} "
            triples = [padded[i : i + 3] for i in range(len(padded) - 2)]
            if 2 * sum(triple in vocabulary for triple in triples) >= len(triples):
                return True
    return False


def _model_text(cut: str, correct: Callable[[str], str] | None = None) -> str:
    """What the classifier reads: the words of a folded text, operator names left out,
    unknown Latin/Cyrillic words corrected."""
    return " ".join(correct(segment) if correct and not is_chinese else segment
                    for is_chinese, segment in _words(cut))


def cyrillic(word: str) -> str:
    """A Latin-letter word as the Russian it may spell: "otklyuchit" -> "отключит"."""
    letters: list[str] = []
    for found in _TRANSLIT_RE.finditer(word):
        piece = found.group()
        if piece == "y":
            letters.append("й" if letters and letters[-1] in "аеиоуыэюя" else "ы")
        else:
            letters.append(_TRANSLIT_GROUPS.get(piece) or _TRANSLIT_LETTERS[piece])
    return "".join(letters)


def _corrector(known_words: frozenset[str], vocabulary: Mapping[int, tuple[str, ...]]) -> Callable[[str], str]:
    """Map an unknown Latin/Cyrillic word to the closest known one (typo tolerance).

    Optimal string alignment distance counts a swapped pair of letters as one edit; only
    known words of a length within reach are compared, and answers are remembered, since
    the same typos come back. An unknown Latin word no known Latin word is near may be
    Russian typed in Latin letters: its Cyrillic spelling is tried the same way."""

    def nearest(word: str) -> str | None:
        if word in known_words:
            return word
        max_edits = 2 if len(word) >= _TYPO_LONG_WORD else 1
        candidates = [w for n in range(len(word) - max_edits, len(word) + max_edits + 1)
                      for w in vocabulary.get(n, ())]
        hit = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=max_edits)
        return hit[0] if hit else None

    @lru_cache(maxsize=_TYPO_CACHE)
    def correct(word: str) -> str:
        if word in known_words or len(word) < _TYPO_MIN_LEN or word.isdigit():
            return word
        found = nearest(word)
        if found is None and word.isascii() and word.isalpha():
            found = nearest(cyrillic(word))
        return found or word

    return correct


@dataclass(frozen=True, slots=True)
class _Model:
    """The trained part of an index: what it reads, and the classifier."""

    entry_ids: tuple[str, ...]  # the real entries, then the off-topic pseudo-entry
    known: frozenset[str]  # the Latin/Cyrillic words typos are corrected to
    correct: Callable[[str], str]
    vectorizer: TfidfVectorizer  # character n-grams
    words: TfidfVectorizer | None  # words and pairs; None when the material has no word twice
    classifier: LinearSVC


class ModelStore(Protocol):
    """Where a trained model is kept between runs (bot.model_files keeps it on disk): the
    arrays ``model_arrays`` gives, under the key ``model_key`` gives."""

    def load(self, key: str) -> Mapping[str, np.ndarray] | None: ...

    def save(self, key: str, arrays: Mapping[str, np.ndarray]) -> None: ...


def build_index(
    entries: Sequence[Entry] = ENTRIES,
    material: Mapping[str, Mapping[str, LanguageMaterial]] | None = None,
    off_topic: Mapping[str, LanguageMaterial] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    word_threshold: float = WORD_THRESHOLD,
    story_threshold: float = STORY_THRESHOLD,
    aliases: Mapping[str, str] | None = None,
    store: ModelStore | None = None,
) -> QAIndex:
    """Build the index; the material defaults to the bundled JSON files.

    Training on the bundled material takes several seconds of CPU, so its model is kept per
    set of operator aliases (the only other thing it depends on) and shared by every index
    built from it (a model is read-only once trained); with a ``store``, it is also kept
    between runs: a restart loads it in milliseconds."""
    aliases = dict(operator_aliases() if aliases is None else aliases)
    reader = build_reader(aliases)
    entry_ids = tuple(entry.id for entry in entries)
    if material is None and off_topic is None:
        model = _bundled_model(entry_ids, tuple(sorted(aliases.items())), store)
    else:
        model = _train(reader, entry_ids, load_match_material() if material is None else material,
                       load_off_topic_material() if off_topic is None else off_topic)
    return QAIndex(threshold=threshold, word_threshold=word_threshold, story_threshold=story_threshold,
                   model=model, reader=reader)


@lru_cache(maxsize=4)
def _bundled_model(entry_ids: tuple[str, ...], aliases: tuple[tuple[str, str], ...],
                   store: ModelStore | None) -> _Model:
    if store is not None:
        # The key reads and hashes every material file: only worth it with a store to look in.
        key = model_key(entry_ids, aliases)
        if (arrays := store.load(key)) is not None:
            try:
                return model_from_arrays(entry_ids, arrays)
            except (KeyError, ValueError):
                pass  # written by something else under this key: train again, and replace it
    model = _train(build_reader(dict(aliases)), entry_ids, load_match_material(), load_off_topic_material())
    if store is not None:
        store.save(key, model_arrays(model))
    return model


_MODEL_FORMAT = "2"  # the arrays model_arrays writes; change it when they change


def model_key(entry_ids: Sequence[str], aliases: Iterable[tuple[str, str]]) -> str:
    """A digest of everything the bundled model is trained from: the material files, this
    module's code (how texts are read), the entries, the operator aliases and the library
    versions. Any change gives a new key, so a stored model is never used stale."""
    digest = hashlib.sha256()
    versions = [_MODEL_FORMAT, sklearn.__version__, np.__version__, metadata.version("opencc-python-reimplemented")]
    for part in (*versions, repr(tuple(entry_ids)), repr(tuple(aliases))):
        digest.update(part.encode("utf-8") + b"\0")
    data = resources.files("flows").joinpath("data")
    for name in ("knowledge_match.json", "qa_off_topic.json", *(f"qa_examples_{lang}.json" for lang in LANGUAGES)):
        digest.update(data.joinpath(name).read_bytes())
    digest.update(resources.files("flows").joinpath("qa.py").read_bytes())
    return digest.hexdigest()[:32]


def _terms(vectorizer: TfidfVectorizer | None) -> np.ndarray:
    vocabulary = vectorizer.vocabulary_ if vectorizer is not None else {}
    return np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)


def model_arrays(model: _Model) -> dict[str, np.ndarray]:
    """A trained model as plain arrays (no pickled objects), for ``ModelStore``."""
    return {
        "terms": _terms(model.vectorizer),
        "idf": model.vectorizer.idf_,
        "word_terms": _terms(model.words),
        "word_idf": model.words.idf_ if model.words is not None else np.zeros(0, np.float32),
        "coef": model.classifier.coef_,
        "intercept": model.classifier.intercept_,
        "classes": model.classifier.classes_,
        "known": np.array(sorted(model.known)),
    }


def model_from_arrays(entry_ids: Sequence[str], arrays: Mapping[str, np.ndarray]) -> _Model:
    """The model ``model_arrays`` wrote; ValueError when the arrays do not fit together."""
    terms, word_terms, coef, classes = arrays["terms"], arrays["word_terms"], arrays["coef"], arrays["classes"]
    entry_ids = (*entry_ids, _OFF_TOPIC_ID)
    features = len(terms) + len(word_terms)
    if not (terms.ndim == 1 and word_terms.ndim == 1 and len(terms) == len(arrays["idf"])
            and len(word_terms) == len(arrays["word_idf"]) and coef.shape == (len(classes), features)
            and arrays["intercept"].shape == classes.shape and set(classes.tolist()) <= set(range(len(entry_ids)))):
        raise ValueError("the stored model's arrays do not fit together")
    vectorizer = _vectorizer(vocabulary={term: n for n, term in enumerate(terms.tolist())})
    vectorizer.idf_ = arrays["idf"]
    words = None
    if len(word_terms):
        words = _word_vectorizer(vocabulary={term: n for n, term in enumerate(word_terms.tolist())})
        words.idf_ = arrays["word_idf"]
    classifier = LinearSVC(C=_SVM_C)
    classifier.coef_, classifier.intercept_, classifier.classes_ = coef, arrays["intercept"], classes
    classifier.n_features_in_ = features
    return _assemble(entry_ids, frozenset(arrays["known"].tolist()), vectorizer, words, classifier)


def _vectorizer(vocabulary: Mapping[str, int] | None = None) -> TfidfVectorizer:
    # char_wb n-grams stay inside words (Latin/Cyrillic), and inside a Chinese run they are
    # the run's characters, pairs and triples: no segmenter, no stemmer needed.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=_NGRAMS, min_df=_MIN_DF, sublinear_tf=True,
                           dtype=np.float32, vocabulary=vocabulary)


def _word_vectorizer(vocabulary: Mapping[str, int] | None = None) -> TfidfVectorizer:
    # Whole words and word pairs of Latin/Cyrillic text, beside the character n-grams: a pair
    # keeps which word goes with which ("закрыть номер", "номер закрыт"), which n-grams lose.
    return TfidfVectorizer(analyzer="word", token_pattern=_WORD_TOKEN, ngram_range=_WORD_NGRAMS, min_df=_MIN_DF,
                           sublinear_tf=True, dtype=np.float32, vocabulary=vocabulary)


def _features(chars: sparse.csr_matrix, words: sparse.csr_matrix | None) -> sparse.csr_matrix:
    """What the SVM reads: the character n-grams, then the weighted words."""
    return chars if words is None else sparse.hstack((chars, _WORD_WEIGHT * words), format="csr")


def _assemble(entry_ids: tuple[str, ...], known: frozenset[str], vectorizer: TfidfVectorizer,
              words: TfidfVectorizer | None, classifier: LinearSVC) -> _Model:
    vocabulary = _by_length(w for w in known if len(w) >= _TYPO_MIN_LEN)
    return _Model(entry_ids, known, _corrector(known, vocabulary), vectorizer, words, classifier)


def _train(reader: DetailsReader, entry_ids: Sequence[str], material: Mapping[str, Mapping[str, LanguageMaterial]],
           off_topic: Mapping[str, LanguageMaterial]) -> _Model:
    """A linear SVM over TF-IDF weighted character n-grams, one sample per example question or
    keyword, the off-topic questions as one more class."""
    material = {**material, _OFF_TOPIC_ID: off_topic}
    entry_ids = (*entry_ids, _OFF_TOPIC_ID)
    texts: list[str] = []
    labels: list[int] = []
    seen: Counter[str] = Counter()  # in how many examples each Latin/Cyrillic word occurs
    for position, entry_id in enumerate(entry_ids):
        for lang_material in material.get(entry_id, {}).values():
            for text in (*lang_material.examples, *lang_material.keywords):
                cut = _cut_operators(reader, fold(text, reader.traditional))
                seen.update({segment for is_chinese, segment in _words(cut) if not is_chinese})
                texts.append(_model_text(cut))
                labels.append(position)
    vectorizer = _vectorizer()
    chars = vectorizer.fit_transform(texts)
    words: TfidfVectorizer | None = _word_vectorizer()
    try:
        word_features = words.fit_transform(texts)
    except ValueError:  # no Latin/Cyrillic word occurs twice (material in Chinese only)
        words, word_features = None, None
    # liblinear's coordinate descent visits samples in a random order: seeded, so that the
    # same material always gives the same answers.
    classifier = LinearSVC(C=_SVM_C, random_state=0).fit(_features(chars, word_features), labels)
    # Single precision, like the features: a stored model is then the very one trained.
    classifier.coef_ = classifier.coef_.astype(np.float32)
    classifier.intercept_ = classifier.intercept_.astype(np.float32)
    # A word seen once is as likely a writer's typo ("frend") as a word: like the n-grams, a
    # word must occur twice to be known, so "frends" is corrected to "friends", not to "frend".
    known = frozenset({word for word, count in seen.items() if count >= _MIN_DF} - _STOP_WORDS)
    return _assemble(entry_ids, known, vectorizer, words, classifier)


def _by_length(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    grouped: defaultdict[int, list[str]] = defaultdict(list)
    for word in sorted(words):
        grouped[len(word)].append(word)
    return {length: tuple(group) for length, group in grouped.items()}


def _decisions(index: QAIndex, cuts: Sequence[str]) -> list[list[float]]:
    """Per text, the classifier's decision value for each entry (the off-topic one last)."""
    model = index.model
    texts = [_model_text(cut, model.correct) for cut in cuts]
    words = model.words.transform(texts) if model.words is not None else None
    values = model.classifier.decision_function(_features(model.vectorizer.transform(texts), words))
    if values.ndim == 1:  # two classes: one column, positive for the second
        values = np.column_stack((-values, values))
    # An entry without material never wins.
    rows = np.full((len(cuts), len(model.entry_ids)), -np.inf)
    rows[:, model.classifier.classes_] = values
    return rows.tolist()


@dataclass(frozen=True, slots=True)
class _Scores:
    closest: tuple[Scored, ...]
    confident: bool
    off_topic: bool  # the out-of-scope pseudo-intent scored at least as high as the best one
    margin: float  # how far the best intent is ahead of any that gives another answer


def _score(index: QAIndex, decisions: list[float], threshold: float, details: Details) -> _Scores:
    """Rank the intents for one piece of text from its decision values."""
    entry_ids = index.model.entry_ids
    off_topic_score = decisions[-1]  # the pseudo-entry is always last
    ranked = sorted(range(len(decisions) - 1), key=decisions.__getitem__, reverse=True)
    unstated: set[str] = set()
    if details.where is None:
        # No word on where the user is: "from abroad" is no rival of its general intent, and
        # when it is only just ahead of it, the general answer (which names the online route
        # too) is the one to give.
        general = next((intents for intents, _detail, value, refined in REFINEMENTS
                        if value is Where.ABROAD and refined == entry_ids[ranked[0]]), ())
        close = next((i for i in ranked[1:] if entry_ids[i] in general
                      and decisions[ranked[0]] - decisions[i] < threshold), None)
        if close is not None:
            ranked = [close, *(i for i in ranked if i != close)]
        unstated = {refined for intents, _detail, value, refined in REFINEMENTS
                    if value is Where.ABROAD and entry_ids[ranked[0]] in intents}
    best = decisions[ranked[0]]
    # The margin is over the best intent that gives another answer, or over off-topic: "how
    # to cancel" and "cancel from abroad" agree for someone who says they are abroad.
    answer = refine(entry_ids[ranked[0]], details)
    rival = next((decisions[i] for i in ranked[1:] if refine(entry_ids[i], details) != answer
                  and entry_ids[i] not in unstated), -math.inf)
    margin = best - max(rival, off_topic_score)
    # Shown as each intent's share (softmax) of the decision values: the fallback offers the
    # closest topics of any text it can read, however far off.
    weights = [math.exp(decisions[i] - best) for i in ranked]
    total = sum(weights)
    closest = tuple(Scored(entry_ids[i], round(w / total, 4)) for i, w in zip(ranked[:FALLBACK_SIZE], weights, strict=False))
    confident = margin >= threshold
    return _Scores(closest, confident, off_topic_score >= best, margin)


def refine(entry_id: str, details: Details) -> str:
    """The intent the details call for (``REFINEMENTS``), or the intent itself."""
    for intents, detail, value, refined in REFINEMENTS:
        if entry_id in intents and getattr(details, detail) == value:
            return refined
    return entry_id


def _pieces(folded_raw: str) -> list[str]:
    """Sentences of a long text, long ones cut at commas; question-like ones first."""
    pieces: list[str] = []
    for sentence in _SENTENCE_RE.split(folded_raw):
        parts = _COMMA_RE.split(sentence) if len(sentence) > _PIECE_MAX else [sentence]
        pieces.extend(part.strip() for part in parts if part.strip())
    return pieces


def _questions(pieces: list[str]) -> list[str]:
    """The question-like pieces, the last ones first: the question usually closes the message."""
    return [piece for piece in reversed(pieces) if _QUESTION_LIKE_RE.search(piece)][:_MAX_PIECES]


def _result(scores: _Scores, details: Details, kind: Kind) -> MatchResult:
    best = scores.closest[0]
    if scores.confident:
        best = Scored(refine(best.entry_id, details), best.score)
    return MatchResult(best=best, confident=scores.confident, closest=scores.closest, details=details, kind=kind)


def match(index: QAIndex, text: str) -> MatchResult:
    """The intent of ``text`` with its details, whether it is confident, the closest topics."""
    reader = index.reader
    folded = fold(text, reader.traditional)
    details = read_details(reader, folded)
    talk = small_talk(_cut_operators(reader, folded).replace(_OPERATOR_MARK, " ").strip())
    if talk is not None:
        return MatchResult(best=None, confident=False, closest=(), details=details, kind=talk)
    # Sentence boundaries are punctuation, which fold() removes: split the raw text.
    raw = unicodedata.normalize("NFKC", text.translate(reader.traditional))
    pieces = _pieces(raw)
    if len(pieces) <= 1:
        whole = folded if len(folded) <= 2 * _WHOLE_TEXT_EDGE else folded[:_WHOLE_TEXT_EDGE] + " " + folded[-_WHOLE_TEXT_EDGE:]
        cut = _cut_operators(reader, whole)
        if not _readable(index.model, cut):
            if details.operator is not None:  # only an operator's name: its contacts
                return MatchResult(Scored(refine(CONTACTS_ID, details), 1.0), True, (), details)
            return MatchResult(best=None, confident=False, closest=(), details=details, kind=Kind.EMPTY)
        threshold = index.threshold if _CJK_RE.search(whole) else index.word_threshold
        return _result(_score(index, _decisions(index, [cut])[0], threshold, details), details, Kind.QUESTION)

    # A sentence pasted many times says no more than once: the whole text is read once per
    # distinct sentence, so a repeated remark cannot outvote the question.
    distinct = fold(" ".join(dict.fromkeys(pieces)), reader.traditional)
    questions = [fold(piece, reader.traditional) for piece in _questions(pieces)]
    # The last question weighs twice in the whole: it is what the writer wants answered.
    whole_cut = _cut_operators(reader, " ".join((distinct[:_WHOLE_TEXT_EDGE], distinct[-_WHOLE_TEXT_EDGE:],
                                                 *questions[:1])))
    if not _readable(index.model, whole_cut):
        return MatchResult(best=None, confident=False, closest=(), details=details, kind=Kind.EMPTY)
    story = len(folded) >= _STORY_MIN_CHARS
    kind = Kind.STORY if story else Kind.QUESTION
    threshold = index.story_threshold if story else index.threshold if _CJK_RE.search(folded) else index.word_threshold
    question_cuts = [cut for question in questions if _readable(index.model, cut := _cut_operators(reader, question))]
    # One call reads every question and the whole text.
    *question_decisions, whole_decisions = _decisions(index, [*question_cuts, whole_cut])
    whole = _score(index, whole_decisions, threshold, details)
    # A question is taken only if the whole message points to the same answer: a side
    # question in a story must not decide it.
    whole_vote = refine(index.model.entry_ids[max(range(len(whole_decisions)), key=whole_decisions.__getitem__)],
                        details)
    question_scores = [_score(index, decisions, threshold, details) for decisions in question_decisions]
    agreeing = [scores for scores in question_scores
                if scores.confident and refine(scores.closest[0].entry_id, details) == whole_vote]
    if agreeing:
        return _result(max(agreeing, key=lambda scores: scores.margin), details, kind)
    if whole.confident:
        return _result(whole, details, kind)
    if question_scores:
        # Offered topics lead with what the last question reads as on its own.
        merged = {scored.entry_id: scored for scored in (*question_scores[0].closest, *whole.closest)}
        whole = replace(whole, closest=tuple(merged.values())[:FALLBACK_SIZE])
    # A long text about something else is not a story about one's SIM: the honest fallback.
    return _result(whole, details, Kind.QUESTION if whole.off_topic else kind)
