"""Fingerprints of comment text: the exact-duplicate hash and the MinHash similarity estimate.

The texts below are also used by the other moderation tests. REPLY and REPOSTED have the shape
of an author's accidental double post: a reply of about 150 words with in-text citations,
posted again with one citation dropped and one word changed. OTHER_REPLIES are two genuinely
different replies by the same author, signed the same way.
"""

import pytest

from comments.fingerprints import similarity, sketch, text_hash, words

AUTHOR = "Ilse Brandt"
AUTHOR_EMAIL = "ilse.brandt@example.net"

DROPPED_CITATION = " (Haldane & Ruiz, 2020, p. 214)"
REPLY = (
    "Tomasz, I appreciate your careful reading. In their survey, Haldane and Ruiz report that "
    "volunteers in citizen science projects often start by classifying a handful of images and "
    "drift away within a week (2020, p. 211). Those who stay, however, tend to be the ones who "
    "received a personal reply on the project forum during their first days (Haldane & Ruiz, "
    "2020, p. 214). Later work found the same effect in transcription projects run by small "
    "museums, where a single thank-you message doubled the chance of a second visit (Okafor, "
    "2022, p. 39). I suspect the forum matters more than the task itself, because it turns an "
    "anonymous click into a conversation with someone who noticed. I would be glad to hear "
    "whether your own project keeps any record of this. Cheers once more for the thoughtful "
    "question, and good luck with the final draft of your paper.\n\nBest wishes,\n\nIlse Brandt"
)
REPOSTED = REPLY.replace(DROPPED_CITATION, "").replace("be glad to", "be happy to")
OTHER_REPLIES = [
    "Priya, thanks for stopping by. Our local library runs a seed swap every spring, and its "
    "mailing list has grown into a place where people trade advice about soil, pests and late "
    "frosts. Nobody planned that; it simply happened once a few regulars began answering each "
    "other's questions.\n\nBest wishes,\n\nIlse Brandt",
    "Jonah, you raise a fair objection about sampling. Most of the studies I cite recruited "
    "volunteers who were already active online, so the quiet majority is probably missing from "
    "the numbers. A follow-up using library membership records might reach people who never "
    "post at all.\n\nBest wishes,\n\nIlse Brandt",
]


def test_seed_shaped_pair_differs_by_one_citation_and_one_word():
    # Guards the fixture texts themselves, so the tests that use them mean what they say.
    assert 140 <= len(REPLY.split()) <= 165
    assert DROPPED_CITATION in REPLY
    assert DROPPED_CITATION not in REPOSTED
    assert REPLY.count("(") == REPOSTED.count("(") + 1
    removed = set(words(REPLY)) - set(words(REPOSTED))
    added = set(words(REPOSTED)) - set(words(REPLY))
    assert removed == {"glad", "214"}  # the citation's other words occur elsewhere too
    assert added == {"happy"}


def test_text_hash_equal_when_only_case_whitespace_and_punctuation_differ():
    variants = [
        "Thank you, Tomasz: I appreciate it!",
        "thank you tomasz i appreciate it",
        "  THANK   YOU\n\nTomasz --- I appreciate it...  ",
        "Thank you; Tomasz? I (appreciate) it.",
    ]
    assert len({text_hash(text) for text in variants}) == 1


def test_text_hash_equal_for_the_whole_reply_reformatted():
    reformatted = " ".join(REPLY.upper().split()).replace(",", " , ")
    assert text_hash(reformatted) == text_hash(REPLY)


def test_text_hash_differs_when_one_word_differs():
    assert text_hash("I would be glad to hear") != text_hash("I would be happy to hear")
    assert text_hash(REPLY) != text_hash(REPOSTED)
    assert text_hash("hello world") != text_hash("hello there world")  # one word added


def test_text_hash_differs_when_word_order_differs():
    assert text_hash("the forum matters") != text_hash("matters the forum")


def test_text_hash_differs_when_words_are_joined():
    assert text_hash("thank you") != text_hash("thankyou")


def test_similarity_of_seed_shaped_near_duplicate_is_about_ninety_percent():
    score = similarity(sketch(REPLY), sketch(REPOSTED))
    assert 0.85 <= score <= 0.95


def test_similarity_is_symmetric():
    assert similarity(sketch(REPLY), sketch(REPOSTED)) == similarity(
        sketch(REPOSTED), sketch(REPLY)
    )


@pytest.mark.parametrize("other", OTHER_REPLIES)
def test_similarity_of_genuinely_different_replies_by_the_same_author_is_low(other):
    assert similarity(sketch(REPLY), sketch(other)) < 0.1
    assert similarity(sketch(REPOSTED), sketch(other)) < 0.1


def test_similarity_of_the_two_different_replies_to_each_other_is_low():
    assert similarity(sketch(OTHER_REPLIES[0]), sketch(OTHER_REPLIES[1])) < 0.1


def test_similarity_of_identical_texts_is_one():
    assert similarity(sketch(REPLY), sketch(REPLY)) == 1.0
    assert similarity(sketch(OTHER_REPLIES[0]), sketch(OTHER_REPLIES[0])) == 1.0


def test_similarity_is_one_when_only_formatting_differs():
    assert similarity(sketch(REPLY), sketch(REPLY.upper().replace("\n\n", " "))) == 1.0


def test_sketch_is_bounded_and_bytes():
    packed = sketch(REPLY * 5)
    assert isinstance(packed, bytes)
    assert 0 < len(packed) <= 128 * 4


@pytest.mark.parametrize("text", ["", " ", "?!", "a", "ok then"])
def test_short_or_empty_texts_do_not_crash(text):
    packed = sketch(text)
    assert isinstance(text_hash(text), str)
    assert 0.0 <= similarity(packed, sketch(REPLY)) <= 1.0
    assert similarity(packed, packed) == 1.0


def test_short_texts_with_different_words_are_not_similar():
    assert similarity(sketch("ok then"), sketch("fine now")) == 0.0
    assert similarity(sketch(""), sketch("a")) == 0.0


def test_similarity_of_empty_sketches_is_zero():
    assert similarity(b"", sketch(REPLY)) == 0.0
    assert similarity(b"", b"") == 0.0
