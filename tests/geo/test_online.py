"""Online geocoders against a fake geocoding server on 127.0.0.1: retries, fallback, resume.

Nothing here touches the internet: every request goes to a local http.server thread that
answers like Nominatim, or times out, sends 429 with Retry-After, 500, or broken JSON.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from geopy.geocoders import Nominatim, Pelias, Photon

from components.geo.geocoder import GazetteerGeocoder, GeocodeCache, GeocodeTally, geocode_events
from components.geo.geocoders.online import ResilientGeocoder, online_geocoder
from components.table.errors import UnknownProviderError


class FakeGeocodingServer:
    """Serves Nominatim-style JSON; ``script`` lists what to do for the next requests."""

    def __init__(self) -> None:
        self.script: list[tuple[str, object]] = []
        self.queries: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
                server.queries.append(query)
                action, value = server.script.pop(0) if server.script else ("ok", None)
                if action == "timeout":
                    threading.Event().wait(float(value))
                    return self._send(200, "[]")
                if action == "429":
                    return self._send(429, "slow down", {"Retry-After": str(value)})
                if action == "500":
                    return self._send(500, "internal error")
                if action == "broken":
                    return self._send(200, '[{"lat": "35.3", "lon":')
                return self._send(200, json.dumps(nominatim_answer(query)))

            def _send(self, status, body, headers=None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.domain = f"127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def nominatim_answer(query: str) -> list[dict]:
    """Every place is at (10, 20) on this server, except "nowhere", which is not found."""
    if query.lower().startswith("nowhere"):
        return []
    return [
        {
            "osm_type": "node",
            "osm_id": 42,
            "lat": "10.0",
            "lon": "20.0",
            "display_name": f"{query}, Fakeland",
            "name": query,
            "addresstype": "town",
        }
    ]


@pytest.fixture
def server():
    fake = FakeGeocodingServer()
    yield fake
    fake.close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def resilient(server, sleeps, gazetteer):
    def make(**options):
        nominatim = online_geocoder("nominatim", domain=f"http://{server.domain}", timeout=0.5)
        options.setdefault("fallback", GazetteerGeocoder(gazetteer, places_file=None))
        return ResilientGeocoder(nominatim, sleep=sleeps.append, **options)

    return make


# ---------------------------------------------------------------------------------------
# Building providers


def test_each_provider_can_point_at_a_self_hosted_http_server():
    nominatim = online_geocoder("nominatim", domain="http://geo.internal:8080")
    assert isinstance(nominatim, Nominatim)
    assert (nominatim.domain, nominatim.scheme) == ("geo.internal:8080", "http")
    assert isinstance(online_geocoder("photon", domain="photon.internal"), Photon)
    assert isinstance(online_geocoder("pelias", domain="http://pelias.internal"), Pelias)


def test_public_nominatim_identifies_itself_and_keeps_one_request_per_second():
    geocoder = ResilientGeocoder(online_geocoder("nominatim"))
    assert "Strikemap" in geocoder.geocoder.headers["User-Agent"]
    assert geocoder.min_delay_seconds >= 1.0


@pytest.mark.parametrize(("provider", "domain"), [("google", None), ("pelias", None)])
def test_unknown_provider_or_pelias_without_a_server_is_refused(provider, domain):
    with pytest.raises(UnknownProviderError, match=r"nominatim|domain"):
        online_geocoder(provider, domain=domain)


# ---------------------------------------------------------------------------------------
# Retries and fallback


def test_a_healthy_server_answers_without_retries(server, resilient):
    geocoder = resilient()
    location = geocoder.geocode("Deir ez-Zor", country_codes="SY")
    assert (location.latitude, location.longitude) == (10.0, 20.0)
    assert geocoder.retries == 0 and not geocoder.fell_back


@pytest.mark.parametrize("failure", [("500", None), ("broken", None), ("timeout", 1.5)])
def test_a_passing_failure_is_retried_and_then_answered(server, resilient, sleeps, failure):
    server.script = [failure]
    geocoder = resilient()
    location = geocoder.geocode("Deir ez-Zor")
    assert (location.latitude, location.longitude) == (10.0, 20.0)
    assert geocoder.retries == 1 and sleeps and not geocoder.fell_back


def test_429_waits_as_long_as_retry_after_says(server, resilient, sleeps):
    server.script = [("429", 7)]
    location = resilient().geocode("Deir ez-Zor")
    assert location.latitude == 10.0
    assert 7 in sleeps


def test_backoff_grows_and_is_bounded(server, resilient, sleeps):
    server.script = [("500", None)] * 5
    resilient(max_retries=4, backoff_seconds=1, max_backoff_seconds=3).geocode("Deir ez-Zor")
    # Doubling from 1 s, capped at 3 s; each wait may be up to 10 % longer (jitter).
    assert len(sleeps) == 4
    for waited, base in zip(sleeps, [1, 2, 3, 3], strict=True):
        assert base <= waited <= base * 1.1


def test_a_server_that_keeps_failing_falls_back_to_the_gazetteer(server, resilient):
    server.script = [("500", None)] * 10
    geocoder = resilient(max_retries=2)
    location = geocoder.geocode("Deir ez-Zor", country_codes="SY")
    assert geocoder.fell_back
    assert location.raw["geocoder"] == "gazetteer:170794"


def test_refused_connections_fall_back_and_the_dead_server_is_then_skipped(gazetteer, sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = online_geocoder("nominatim", domain=f"http://127.0.0.1:{port}", timeout=0.5)
    geocoder = ResilientGeocoder(
        dead,
        fallback=GazetteerGeocoder(gazetteer, places_file=None),
        max_retries=1,
        give_up_after=2,
        sleep=sleeps.append,
    )
    for _ in range(3):
        assert geocoder.geocode("Aleppo").raw["geocoder"] == "gazetteer:170063"
    assert geocoder.is_down
    assert len(sleeps) == 2  # one retry each for the first two; the third is not tried


# ---------------------------------------------------------------------------------------
# Batches: cache, no row lost, resume


def events(names):
    return pd.DataFrame({"event_id": range(len(names)), "location": names, "country": "SY"})


def test_answers_are_cached_under_the_provider_and_reused(server, resilient, tmp_path):
    cache = GeocodeCache(tmp_path / "cache.json")
    geocoder = resilient()
    geocode_events(events(["Aleppo", "Homs"]), geocoder=geocoder, cache=cache)
    asked = len(server.queries)
    placed = geocode_events(events(["Aleppo", "Homs"]), geocoder=geocoder, cache=cache)
    assert len(server.queries) == asked
    assert cache.has(geocoder.provider_id, "Aleppo", "SY")
    assert placed["geocoder"].tolist() == ["nominatim:N42"] * 2


def test_no_row_is_lost_when_the_server_fails_half_way(server, resilient, tmp_path):
    names = ["Aleppo", "Homs", "Hama", "Nowhere Town", "Idlib", "Raqqa"]
    server.script = [("ok", None), ("ok", None)] + [("500", None)] * 50
    tally = GeocodeTally()
    cache = GeocodeCache(tmp_path / "cache.json")
    placed = geocode_events(
        events(names), geocoder=resilient(max_retries=1), cache=cache, tally=tally
    )
    assert len(placed) == len(names)
    assert placed["event_id"].tolist() == list(range(len(names)))
    assert placed["latitude"].notna().sum() == 5  # all but the nonsense name
    assert placed["geocoder"].tolist()[:2] == ["nominatim:N42"] * 2
    assert all(g.startswith("gazetteer:") for g in placed["geocoder"].tolist()[2:] if g)
    assert tally.fallbacks == 4
    # Fallback answers are not the provider's: a later run asks the provider again.
    assert not cache.has(resilient().provider_id, "Idlib", "SY")


def test_an_interrupted_batch_resumes_from_the_cache(server, resilient, tmp_path):
    names = [f"Village {i}" for i in range(6)]
    cache_path = tmp_path / "cache.json"
    geocoder = resilient()
    calls = []

    def interrupting(query, *, exactly_one=True, country_codes=None):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(query)
        return geocoder.geocode(query, exactly_one=exactly_one, country_codes=country_codes)

    interrupting.provider_id = geocoder.provider_id
    with pytest.raises(KeyboardInterrupt):
        geocode_events(events(names), geocoder=interrupting, cache=GeocodeCache(cache_path))
    server.queries.clear()
    placed = geocode_events(events(names), geocoder=geocoder, cache=GeocodeCache(cache_path))
    assert placed["latitude"].notna().all()
    assert len(server.queries) == 3  # only the three not answered before the interrupt
