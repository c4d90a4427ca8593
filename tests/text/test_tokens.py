from reelsense.text.tokens import expand_spans, token_span, tokenize


def test_tokens_tokenize_treats_contractions_alike() -> None:
    expected = ["i", "do", "n't", "like", "it", "!"]
    assert tokenize("I don't like it!") == expected
    assert tokenize("i dont like it !") == expected
    assert tokenize("I do n't like it!") == expected
    assert tokenize("I don\u2019t like it!") == expected


def test_tokens_expand_spans_match_tokens() -> None:
    text = "Well, I DON'T think so; it isnt bad!"
    spans = expand_spans(text, 0, len(text))
    assert len(spans) == len(tokenize(text))
    assert [text[a:b] for a, b in spans] == [
        "Well", "I", "DO", "N'T", "think", "so", "it", "isnt", "isnt", "bad", "!"
    ]  # fmt: skip


def test_tokens_bare_negations_split_like_contractions() -> None:
    assert tokenize("it wasnt bad and i cant complain") == [
        "it",
        "was",
        "n't",
        "bad",
        "and",
        "i",
        "ca",
        "n't",
        "complain",
    ]


def test_tokens_token_span_maps_token_ranges_back_to_text() -> None:
    text = "Oh. It didn't LAND, sadly!"
    start = 4
    tokens = tokenize(text[start:])
    assert tokens == ["it", "did", "n't", "land", "sadly", "!"]
    a, b = token_span(text, start, len(text), 1, 3)
    assert text[a:b] == "didn't LAND"
    assert [text[x:y] for x, y in expand_spans(text, start, len(text))] == [
        "It",
        "did",
        "n't",
        "LAND",
        "sadly",
        "!",
    ]
