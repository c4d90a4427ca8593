from reelsense.kb.names import name_key, sound_key


def test_names_keys() -> None:
    assert name_key("Le Samouraï") == "le samourai"
    assert name_key("  Robert  De Niro's ") == "robert de niro s"
    assert sound_key("Martin Scorsese") == sound_key("Martin Scorcese") == "m:s622"
    assert sound_key("Martin Scorsese") != sound_key("Bernard Herrmann")


def test_names_key_spells_out_ampersands_and_keeps_digits() -> None:
    assert [name_key(n) for n in ("Tom & Jerry", "Blade Runner 2049", "Alien: Covenant", "")] == [
        "tom and jerry",
        "blade runner 2049",
        "alien covenant",
        "",
    ]


def test_names_sound_key_is_the_first_initial_and_the_surnames_soundex() -> None:
    assert [sound_key(n) for n in ("Bernard Herrmann", "Bernard Hermann", "Madonna", "", "...")] == [
        "b:h655",
        "b:h655",
        "m:m35",
        "",
        "",
    ]
