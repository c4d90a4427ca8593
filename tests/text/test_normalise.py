from reelsense.text.normalise import clean


def test_normalise_leaves_plain_text_alone() -> None:
    c = clean("Plain text, nothing to do.")
    assert (c.text, c.html, c.span(0, 5)) == ("Plain text, nothing to do.", False, (0, 5))


def test_normalise_maps_cleaned_spans_to_original() -> None:
    original = "Great.<br /><br />Loved it &amp; more <i>Vertigo</i> end caf&eacute;"
    c = clean(original)
    assert c.text == "Great.\n\nLoved it & more Vertigo end café"
    words = ["Great", "Loved", "&", "Vertigo", "café"]
    spans = [c.span(c.text.index(w), c.text.index(w) + len(w)) for w in words]
    assert [original[a:b] for a, b in spans] == [
        "Great",
        "Loved",
        "&amp;",
        "Vertigo",
        "caf&eacute;",
    ]


def test_normalise_replaces_control_characters() -> None:
    c = clean("bad\x07bell")
    assert (c.text, c.html) == ("bad bell", False)
