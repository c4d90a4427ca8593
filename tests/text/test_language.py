import pytest

from reelsense.text.language import looks_english
from reelsense.text.tokens import tokenize

CASES = [
    ("Ce film est magnifique, les acteurs sont formidables et la musique est superbe.", False),
    ("Der Film ist langweilig und die Schauspieler sind schlecht, ich habe mich geärgert.", False),
    ("La película es aburrida y los actores son malos, no la recomiendo a nadie.", False),
    ("这部电影非常好看，演员的表演很出色。", False),
    ("Фильм очень скучный и длинный, актёры играют плохо.", False),
    ("a tedious slog that mistakes length for depth and wastes a fine cast", True),
    ("Gorgeous cinematography, wooden acting, plodding script, forgettable score.", True),
    ("Amélie is a delight and Jeunet directs with brio; c'est la vie.", True),
    ("Superb.", True),
]


@pytest.mark.parametrize("text,english", CASES)
def test_language_looks_english(text: str, english: bool) -> None:
    assert looks_english(text, tokenize(text)) is english
