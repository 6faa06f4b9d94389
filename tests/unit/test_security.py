import pytest

from app.core.security import CSP, safe_next


@pytest.mark.parametrize("target,expected", [
    ("/courses/", "/courses/"),
    ("/home?tab=1", "/home?tab=1"),
    (None, "/fallback"),
    ("", "/fallback"),
    ("https://evil.example/", "/fallback"),
    ("//evil.example/", "/fallback"),
    ("/\\evil.example", "/fallback"),
    ("javascript:alert(1)", "/fallback"),
    ("courses", "/fallback"),
    ("/ok\r\nSet-Cookie: x=1", "/fallback"),
])
def test_safe_next_keeps_only_local_paths(target, expected):
    assert safe_next(target, "/fallback") == expected


def test_csp_forbids_inline_script():
    assert "script-src 'self'" in CSP
    assert "unsafe-inline" not in CSP
