"""Client configuration: transport security defaults and credential handling. No network."""

from __future__ import annotations

import pickle

import pytest

from zenoti_async import ZenotiClient
from zenoti_async._client import _Secret

KEY = "cfg-secret-key-77a1"


def test_https_is_the_default_and_plain_http_is_refused() -> None:
    assert ZenotiClient(api_key=KEY).base_url == "https://api.zenoti.com"
    with pytest.raises(ValueError, match="must use https"):
        ZenotiClient(api_key=KEY, base_url="http://api.zenoti.com")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "[::1]", "localhost"])
def test_http_is_allowed_for_loopback_only_when_asked(host: str) -> None:
    client = ZenotiClient(api_key=KEY, base_url=f"http://{host}:8080", allow_http=True)
    assert client.base_url == f"http://{host}:8080"


@pytest.mark.parametrize("host", ["10.0.0.5", "api.zenoti.com", "192.168.1.10"])
def test_http_to_a_non_loopback_host_is_refused_even_when_asked(host: str) -> None:
    with pytest.raises(ValueError, match="only permits loopback"):
        ZenotiClient(api_key=KEY, base_url=f"http://{host}", allow_http=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pw@api.zenoti.com",
        "https://api.zenoti.com?x=1",
        "ftp://api.zenoti.com",
        "api.zenoti.com",
    ],
)
def test_malformed_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        ZenotiClient(api_key=KEY, base_url=url)


def test_regional_hosts_and_a_trailing_slash_are_fine() -> None:
    client = ZenotiClient(api_key=KEY, base_url="https://apiasia11.ap.zenoti.com/")
    assert client.base_url == "https://apiasia11.ap.zenoti.com"


def test_key_falls_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZENOTI_API_KEY", KEY)
    monkeypatch.setenv("ZENOTI_BASE_URL", "https://apiasia11.ap.zenoti.com")
    client = ZenotiClient()
    assert client.base_url == "https://apiasia11.ap.zenoti.com"
    assert KEY not in repr(client)


def test_missing_key_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZENOTI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="ZENOTI_API_KEY"):
        ZenotiClient()


@pytest.mark.parametrize("bad", ["", "   ", "key\r\nX-Injected: 1"])
def test_unusable_keys_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(ValueError, match="api_key") as info:
        ZenotiClient(api_key=bad)
    if bad.strip():
        assert bad not in str(info.value)


def test_key_and_token_together_are_refused() -> None:
    with pytest.raises(ValueError, match="either"):
        ZenotiClient(api_key=KEY, access_token="tok")


def test_the_key_is_in_no_repr_str_or_vars() -> None:
    client = ZenotiClient(api_key=KEY)
    assert KEY not in repr(client) and KEY not in str(client)
    assert KEY not in repr(vars(client))
    assert "auth=apikey" in repr(client)


def test_the_secret_refuses_to_be_pickled() -> None:
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(_Secret(KEY))
