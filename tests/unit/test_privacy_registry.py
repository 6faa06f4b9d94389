from app.core import privacy


def test_every_source_can_export_and_erase():
    names = [s.name for s in privacy.sources()]
    assert "account" in names and "security_log" in names
    # The account is erased last: other features still need it while erasing.
    assert names[-1] == "account"
    for source in privacy.sources():
        assert callable(source.export) and callable(source.erase)
        assert str(source.description)
