"""A multipart part whose name holds a line break reaches the app with no name; it is refused
(400) before the CSRF check reads the form (which failed on it with a 500)."""

import pytest

BODY = b'--B\r\nContent-Disposition: form-data; name="\n"\r\n\r\nnull\r\n--B--\r\n'


@pytest.mark.parametrize("url", ["/api/v1/banks", "/dang-nhap", "/tra-cuu"])
def test_a_nameless_form_part_is_a_bad_request(client, url):
    response = client.post(url, data=BODY, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400
