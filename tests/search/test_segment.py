from website.search.segment import query_words, segment_for_index, segment_query


def test_index_segmentation_keeps_whole_terms_and_their_words():
    words = segment_for_index("警惕非法集资").split()
    assert {"非法", "集资", "非法集资"} <= set(words)


def test_domain_dictionary_knows_pretext_terms():
    assert "养老服务" in query_words("养老服务骗局")
    assert "股权众筹" in query_words("股权众筹平台")
    assert "虚拟货币" in query_words("虚拟货币挖矿")


def test_query_drops_punctuation_and_stop_words():
    assert query_words("的，了！！ 。。") == []
    assert segment_query("老人的养老钱") == " ".join(query_words("老人的养老钱"))
    assert "的" not in query_words("老人的养老钱")


def test_query_is_truncated_and_never_fails_on_junk():
    assert len("".join(query_words("骗" * 10_000))) <= 100
    for junk in ["", None, "\x00\x01", "🙂🙂", "<script>alert(1)</script>", "' OR 1=1 --"]:
        query_words(junk)


def test_index_segmentation_accepts_non_text():
    assert segment_for_index(None) == ""
    assert segment_for_index(["养老", "服务"]).count("养老") >= 1
    assert segment_for_index(123) == "123"
