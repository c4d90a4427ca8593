import pytest

from reelsense.text.grades import find_grade

READ = [
    ("I'd give it 7/10.", 7.0, "7/10"),
    ("Verdict: 7.5/10", 7.5, "7.5/10"),
    ("8 out of 10", 8.0, "8 out of 10"),
    ("Rating: 4/5", 8.0, "4/5"),
    ("3.5/5 stars", 7.0, "3.5/5 stars"),
    ("Easily 10/10 from me.", 10.0, "10/10"),
    ("Three stars out of four.", 7.5, "Three stars out of four"),
    ("three and a half stars out of five", 7.0, "three and a half stars out of five"),
    ("I give it three stars.", 6.0, "three stars"),
    ("Four stars.", 8.0, "Four stars"),
    ("2 stars out of 5", 4.0, "2 stars out of 5"),
    ("★★★½", 7.0, "★★★½"),
    ("★★☆☆☆", 4.0, "★★☆☆☆"),
    ("*** out of ****", 7.5, "*** out of ****"),
    ("My rating: ***1/2", 7.0, "***1/2"),
    ("Grade: B+", 8.3, "B+"),
    ("I give this movie a C-.", 4.2, "C-"),
    ("Final grade: A", 10.0, "A"),
    ("It's fine. B+", 8.3, "B+"),
    ("Good, not great. B+.", 8.3, "B+"),
    ("A tired sequel. D-", 1.6, "D-"),
    ("Unwatchable.\nF", 0.0, "F"),
    ("Loved every minute! A-\nSee it on a big screen.", 9.1, "A-"),
    ("It's fine. B", 7.5, "B"),
    ("★★★★★", 10.0, "★★★★★"),
    ("☆☆☆☆☆", 0.0, "☆☆☆☆☆"),
    ("½☆☆☆☆", 1.0, "½☆☆☆☆"),
    ("★★½☆☆", 5.0, "★★½☆☆"),
    ("A triumph. *****", 10.0, "*****"),
    ("two and a half stars out of four", 6.25, "two and a half stars out of four"),
    ("three and a half stars", 7.0, "three and a half stars"),
    ("4 out of 5", 8.0, "4 out of 5"),
    ("7/10", 7.0, "7/10"),
    ("Rating: ***1/2 out of 5.", 7.0, "***1/2 out of 5"),
    ("Remarkable.\n\n**** (out of four)", 10.0, "**** (out of four)"),
    ("A fun fantasy. (****/*****).", 8.0, "****/*****"),
    ("I'd give it a 6.", 6.0, "give it a 6"),
    ("My score: 85/100", 8.5, "85/100"),
    ("It was okay. 5/10", 5.0, "5/10"),
    ("Started as a 9/10 but the ending makes it 6/10.", 6.0, "6/10"),
]

NOT_READ = [
    "About 2/3 of the film is flashback.",
    "It was released just after 9/11.",
    "Don't believe the 10/10 hype.",
    "I saw it on 12/25/2019 with my family.",
    "They stayed in a five-star hotel.",
    "The film runs 1/2 hour too long.",
    "A B-movie through and through.",
    "This film is plan B for a rainy day.",
    "I rate it highly.",
    "*spoiler* he dies at the end.",
    "She gave it her all.",
    "It won 3 Oscars and 2 Golden Globes.",
    "It stars three of my favourite actors.",
    "In 1999, 4/5 of critics hated it",
    "The score is by Hans Zimmer.",
    "It stars Tom Hanks as Captain B.",
    "He wants plan B",
    "this is **great**",
    "Part one.\n***\nPart two.",
    "**Spoilers** ahead, and a *lot* of them.",
    "Only one ☆ here.",
    "The grade school scenes drag.",
    "You'll love it.\n\nF.",
    "The chemistry between the two stars is there.",
    "Look for the possibilities it gives you! Even marketing one!",
    "I disagree with the trolls who are rating this movie a one-star.",
]


@pytest.mark.parametrize("text,value,written", READ)
def test_grades_reads_stated_grade(text: str, value: float, written: str) -> None:
    grade = find_grade(text)
    assert grade is not None, text
    assert (grade.value, grade.text) == (value, written)
    assert text[grade.start : grade.end] == grade.text


@pytest.mark.parametrize("text", NOT_READ)
def test_grades_ignores_look_alikes(text: str) -> None:
    assert find_grade(text) is None
