"""The served workbench lets in only signed-in sessions, and codes as the account, live."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from workbench.serve.probe import Probe, code_until_stored, codings_by

CODE_A_SENTENCE = ("s", "i")  # select the sentence at the cursor; code it in vivo
DOWN = "\x1b[B"  # the cursor a line down, into the next sentence


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 180))


def test_pages_files_and_websockets_need_a_session(served):
    async def check():
        async with aiohttp.ClientSession() as http:
            for path in ("/", "/static/js/textual.js", "/download/x"):
                async with http.get(served.base + path) as response:
                    assert response.status == 401, path
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(served.base.replace("http", "ws") + "/ws", headers={"Origin": served.base})
            assert refused.value.status == 401
    run(check())
    assert "refused websocket without a session" in served.log.read_text()


def test_a_valid_link_gives_a_strict_http_only_session(served):
    async def check():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{served.base}/signin", params={"key": served.keys["ana"]}) as response:
                assert response.status == 200
                cookie = response.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            async with http.get(served.base + "/") as response:
                assert response.status == 200 and "textual" in (await response.text())
    run(check())
    assert "sign-in ana (coder)" in served.log.read_text()


def test_a_forged_or_reset_link_is_refused_and_reset_ends_the_session(served):
    from workbench.serve.accounts import AccountBook

    async def check():
        forged = Probe(served.base)
        lookup, secret = served.keys["bo"].split(".")
        assert await forged.sign_in(f"{lookup}.{secret[::-1]}") == 401
        await forged.close()
        probe = Probe(served.base)
        assert await probe.sign_in(served.keys["bo"]) == 200
        AccountBook(served.project).reset("bo")
        async with probe.http.get(served.base + "/") as response:
            assert response.status == 401  # the session ended with the old key
        assert await probe.sign_in(served.keys["bo"]) == 401
        await probe.close()
    run(check())
    log = served.log.read_text()
    assert "refused sign-in with an unknown, reset or forged key" in log and "account reset" in log


def test_a_websocket_from_a_foreign_origin_is_refused(served):
    async def check():
        probe = Probe(served.base)
        await probe.sign_in(served.keys["ana"])
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await probe.open(origin="http://evil.example")
        assert refused.value.status == 403
        await probe.close()
    run(check())
    assert "from origin 'http://evil.example'" in served.log.read_text()


def test_two_sessions_code_at_once_as_their_accounts_undo_their_own_and_a_viewer_cannot(served):
    async def check():
        probes = {name: Probe(served.base) for name in ("ana", "bo", "vi")}
        for name, probe in probes.items():
            assert await probe.sign_in(served.keys[name]) == 200
            await probe.open()
        await asyncio.gather(*(probe.wait_for_screen() for probe in probes.values()))
        # each codes their own sentence in vivo: had bo coded with ana's new code, undoing ana's
        # in-vivo step would be refused whole (it would take bo's code away; issue 8's rule)
        await asyncio.gather(code_until_stored(probes["ana"], served.project, "ana", CODE_A_SENTENCE),
                             code_until_stored(probes["bo"], served.project, "bo", (DOWN,) + CODE_A_SENTENCE))
        assert codings_by(served.project, "ana") == 1 and codings_by(served.project, "bo") == 1
        with pytest.raises(TimeoutError):  # the viewer's keys reach a read-only app
            await code_until_stored(probes["vi"], served.project, "vi", CODE_A_SENTENCE, timeout=6)
        # ctrl+z undoes ana's own work, never bo's (again while a retried key left a step to undo)
        for _ in range(60):
            await probes["ana"].keys("\x1a")
            for _ in range(20):
                if codings_by(served.project, "ana") == 0:
                    break
                await asyncio.sleep(0.05)
            if codings_by(served.project, "ana") == 0:
                break
        for probe in probes.values():
            await probe.close()
    run(check())
    assert codings_by(served.project, "ana") == 0 and codings_by(served.project, "bo") == 1
    assert codings_by(served.project, "vi") == 0
    assert served.stop() == 0  # Ctrl+C: a clean stop
