"""Masking secrets by value and URLs by structure (core/masking.py)."""

from __future__ import annotations

from workbench.core.masking import MASK, mask_message, mask_urls, masker


def test_masker_replaces_every_encoding_of_a_value() -> None:
    mask = masker(["s3cret value", "short"])
    assert mask("a=s3cret%20value&b=s3cret+value s3cret value short") == f"a={MASK}&b={MASK} {MASK} short"


def test_mask_urls_drops_userinfo_and_secret_query_values_but_keeps_the_rest() -> None:
    text = "http://bob:pw@h:9/x?api_key=K1&page=2#f: failed; then https://h/p?token=t.&sig=zz, user@example.com"
    assert mask_urls(text) == (f"http://{MASK}@h:9/x?api_key={MASK}&page=2#f: failed; "
                               f"then https://h/p?token={MASK}&sig={MASK}, user@example.com")
    assert mask_urls("http://[::1/x?key=1: not a valid URL") == f"http://[::1/x?key={MASK}: not a valid URL"
    assert mask_urls("http://h:8080/p?q=1") == "http://h:8080/p?q=1"


def test_mask_message_masks_values_then_urls() -> None:
    assert mask_message("GET http://h/?q=SECRET99&key=1 answered 404", ["SECRET99"]) == \
        f"GET http://h/?q={MASK}&key={MASK} answered 404"


def test_an_unresolved_placeholder_is_a_name_not_a_secret() -> None:
    """A secret variable that was never defined still reads `{{pw}}`; the message must keep saying which."""
    mask = masker(["{{pw}}", "{{user}} {{pw}}", "x{{pw}}yz1"])
    assert mask("{{pw}} is not defined") == "{{pw}} is not defined"
    assert mask("got x{{pw}}yz1") == f"got {MASK}"
