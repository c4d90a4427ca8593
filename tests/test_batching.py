from reelsense.batching import DEFAULT_BATCH_SIZE, batched


def test_batching_cuts_a_stream_into_lists_in_order() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched(iter("ab"), 5)) == [["a", "b"]]
    assert list(batched([], 3)) == []


def test_batching_reads_a_size_below_one_as_one() -> None:
    assert list(batched("abc", 0)) == [["a"], ["b"], ["c"]]


def test_batching_is_lazy() -> None:
    def endless():  # type: ignore[no-untyped-def]
        n = 0
        while True:
            yield n
            n += 1

    first = next(batched(endless(), DEFAULT_BATCH_SIZE))
    assert first == list(range(DEFAULT_BATCH_SIZE))
