"""Which responses are `$batch` answers whose parts are listed."""

from __future__ import annotations

from workbench.core.sending.transport import Response
from workbench.ui.widgets.response.batch_parts import is_batch_response


def _response(url: str, status: int = 200) -> Response:
    return Response(status, "", "", (), 0, 0.0, url=url)


def test_batch_answers_are_recognised_by_their_path() -> None:
    assert is_batch_response(_response("http://h/odata/$batch"), "")
    assert is_batch_response(_response(""), "http://h/odata/$batch?x=1")  # no response URL: the request's
    assert not is_batch_response(_response("http://h/odata/Users?$filter='$batch'"), "")
    assert not is_batch_response(_response("http://h/odata/$batch", 400), "")  # a refused batch has no parts
