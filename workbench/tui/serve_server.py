"""textual-serve's aiohttp server, with the lab's checks in front of it (a front end beside the
TUI it serves; the accounts, sessions and pages it checks with are core, in `workbench/serve/`).

Every page, static file, download and websocket needs a signed-in session (401 without one);
a websocket's Origin must be this server's own; each browser session runs its own app process
(`workbench/serve/client.py`) as its account, within the limits of `sessions.Limits`, and is closed when idle.
Ctrl+C (or SIGTERM) asks every app to quit, waits for them, then stops: each change an app made
was committed when it was made, so nothing written is lost.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import shlex
import signal
import ssl
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..model import WorkbenchError
from ..serve import pages
from ..serve.accounts import AccountBook
from ..serve.sessions import COOKIE, Limits, Session, Sessions, log

OPEN_PATHS = frozenset({"/signin", "/login", "/favicon.ico"})
SECURITY_HEADERS = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
                    "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SeatService(AppService):
    """One browser session's app process, with the account's own config folder."""

    def __init__(self, *args, home: Path, **kwargs):
        super().__init__(*args, **kwargs)
        self.home = home

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["WORKBENCH_HOME"] = str(self.home)  # last document, cursors: per account
        environment.pop("WORKBENCH_CODER", None)  # the account is the coder
        return environment


@dataclass
class Live:
    session: Session
    service: AppService
    websocket: web.WebSocketResponse


class WorkbenchServer(Server):
    def __init__(self, project: str | Path, host: str = "127.0.0.1", port: int = 8000, *,
                 limits: Limits | None = None, public_url: str | None = None,
                 ssl_context: ssl.SSLContext | None = None, book: AccountBook | None = None):
        self.project = Path(project).resolve()
        scheme = "https" if ssl_context else "http"
        shown_host = f"[{host}]" if ":" in host else host
        super().__init__("", host=host, port=port, title=f"workbench · {self.project.name}",
                         public_url=public_url or f"{scheme}://{shown_host}:{port}")
        self.ssl_context = ssl_context
        self.book = book or AccountBook(self.project)
        self.sessions = Sessions(self.book, limits or Limits())
        self.live: dict[int, Live] = {}
        self.stopping = False

    # ------------------------------------------------------------- the app
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.router.add_get("/signin", self.handle_signin)
        app.router.add_get("/login", self.handle_login_page)
        app.router.add_post("/login", self.handle_login)
        app.router.add_post("/logout", self.handle_logout)
        app.on_response_prepare.append(self._headers)
        return app

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(SECURITY_HEADERS)

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        if request.path in OPEN_PATHS:
            return await handler(request)
        session = self.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            what = "websocket without a session" if request.path == "/ws" else f"{request.path} without a session"
            self.sessions.refused(request.remote or "?", what)
            return web.Response(status=401, text=pages.login(self.project.name), content_type="text/html")
        request["session"] = session
        return await handler(request)

    # ----------------------------------------------------------- signing in
    async def handle_signin(self, request: web.Request) -> web.Response:
        return await self._sign_in(request, request.query.get("key", ""))

    async def handle_login_page(self, request: web.Request) -> web.Response:
        return web.Response(text=pages.login(self.project.name), content_type="text/html")

    async def handle_login(self, request: web.Request) -> web.Response:
        form = await request.post()
        key = str(form.get("key", "")).strip()
        if "key=" in key:  # a whole link pasted
            key = key.split("key=", 1)[1].split("&", 1)[0]
        return await self._sign_in(request, key)

    async def _sign_in(self, request: web.Request, key: str) -> web.Response:
        remote = request.remote or "?"
        if self.sessions.throttled(remote):
            self.sessions.refused(remote, "sign-in (too many wrong keys; waiting a minute)")
            return web.Response(status=429, text=pages.refused("Too many wrong keys: wait a minute."),
                                content_type="text/html")
        # scrypt takes ~30 ms: off the event loop, so other sessions' keys are not held up
        account = await asyncio.get_running_loop().run_in_executor(None, self.book.verify, key)
        if account is None:
            self.sessions.note_failure(remote)
            self.sessions.refused(remote, "sign-in with an unknown, reset or forged key")
            page = pages.login(self.project.name, "That link is not (or no longer) valid.")
            return web.Response(status=401, text=page, content_type="text/html")
        old = self.sessions.get(request.cookies.get(COOKIE), touch=False)
        if old is not None:
            self.sessions.sign_out(old, "signed in again")
        session = self.sessions.sign_in(account, remote)
        response = web.Response(text=pages.signed_in(account.name, account.role), content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(COOKIE, session.id, httponly=True, samesite="Strict", path="/",
                            secure=self._https(request))
        return response

    async def handle_logout(self, request: web.Request) -> web.Response:
        self.sessions.sign_out(request["session"])
        response = web.Response(text=pages.login(self.project.name, "Signed out."), content_type="text/html")
        response.del_cookie(COOKIE, path="/")
        return response

    def _https(self, request: web.Request) -> bool:
        return request.secure or self.public_url.startswith("https:")

    # ---------------------------------------------------------------- pages
    async def handle_index(self, request: web.Request):
        # Links follow the address the browser used (127.0.0.1, localhost, a proxy's name), so
        # the websocket goes to the same origin and carries the session cookie.
        base = self._base(request)
        saved, self.public_url = self.public_url, base
        try:
            return await super().handle_index(request)
        finally:
            self.public_url = saved

    def _base(self, request: web.Request) -> str:
        if self.public_url and urlsplit(self.public_url).netloc == request.host:
            return self.public_url
        return f"{'https' if self._https(request) else 'http'}://{request.host}"

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if not origin:
            return False
        parts = urlsplit(origin)
        allowed = {request.host, urlsplit(self.public_url).netloc}
        return parts.scheme in ("http", "https") and parts.netloc in allowed

    # ------------------------------------------------------------ websocket
    # textual-serve declares a websocket as the only answer; a refusal here is a plain HTTP response,
    # which aiohttp takes from any handler.
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        session: Session = request["session"]
        remote = request.remote or "?"
        if not self._origin_allowed(request):
            self.sessions.refused(remote, f"websocket of {session.account} from origin "
                                          f"{request.headers.get('Origin')!r}")
            return web.Response(status=403, text="websocket from a foreign origin refused")
        if self.stopping:
            return web.Response(status=503, text="the server is stopping")
        reason = self.sessions.open_app(session)
        if reason is not None:
            self.sessions.refused(remote, f"session: {reason}")
            return web.Response(status=429, text=f"refused: {reason}")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: AppService | None = None
        log.info("session start %s (%s) from %s", session.account, session.role, remote)
        try:
            await websocket.prepare(request)
            service = SeatService(self._command(session), write_bytes=websocket.send_bytes,
                                  write_str=websocket.send_str, close=websocket.close,
                                  download_manager=self.download_manager, debug=self.debug,
                                  home=self._home(session.account))
            self.live[id(websocket)] = Live(session, service, websocket)
            await service.start(width, height)
            await self._relay(websocket, service, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken session must not stop the others
            log.exception(error)
        finally:
            self.live.pop(id(websocket), None)
            if service is not None:
                await service.stop()
            self.sessions.close_app(session)
            log.info("session end %s from %s", session.account, remote)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService, session: Session) -> None:
        """Browser → app: keys and sizes; ends on close, idle timeout, or the account's reset."""
        idle = self.sessions.limits.idle_timeout_s
        active = checked = time.monotonic()
        while True:
            remaining = idle - (time.monotonic() - active)
            if remaining <= 0:
                log.info("session idle %s: closed after %.0f s", session.account, idle)
                break
            try:
                message = await websocket.receive(timeout=remaining)
            except TimeoutError:
                continue
            if message.type != WSMsgType.TEXT:
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    break
                continue
            now = time.monotonic()
            if now - checked > 2.0:  # a reset or removed account ends its live sessions too
                checked = now
                if self.sessions.get(session.id, touch=False) is None:
                    break
            try:
                kind, data = message.json()
            except (ValueError, TypeError):
                continue
            if kind == "stdin":
                active = now
                session.last_seen = now
                await service.send_bytes(str(data).encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                active = now
                await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()
        await websocket.close()

    def _command(self, session: Session) -> str:
        arguments = [sys.executable, "-m", "workbench.serve.client", str(self.project), session.account, session.role]
        return f"cd {shlex.quote(str(self.project.parent))} && exec {shlex.join(arguments)}"

    def _home(self, account: str) -> Path:
        digest = hashlib.sha256(account.encode()).hexdigest()[:16]
        home = self.book.folder / "people" / digest
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return home

    # ------------------------------------------------------------ lifecycle
    async def on_startup(self, app: web.Application) -> None:
        app["expiry"] = asyncio.create_task(self._expire_now_and_then())

    async def _expire_now_and_then(self) -> None:
        while True:
            await asyncio.sleep(30)
            self.sessions.expire()

    async def on_shutdown(self, app: web.Application) -> None:
        """Ask every app to quit and wait for them: their work is committed as it is made."""
        self.stopping = True
        app["expiry"].cancel()
        lives = list(self.live.values())
        if lives:
            log.info("stopping %d session(s)", len(lives))
        await asyncio.gather(*(live.service.stop() for live in lives), return_exceptions=True)
        await asyncio.gather(*(live.websocket.close() for live in lives), return_exceptions=True)

    def initialize_logging(self) -> None:
        handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
        try:
            self.book.folder.mkdir(mode=0o700, exist_ok=True)
            handlers.append(logging.FileHandler(self.book.folder / "serve.log", encoding="utf-8"))
        except OSError:
            pass
        formatter = logging.Formatter("%(asctime)s %(message)s")
        for handler in handlers:
            handler.setFormatter(formatter)
            log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_exit)
            except (NotImplementedError, RuntimeError):
                pass
        web.run_app(self._make_app(), host=self.host, port=self.port, ssl_context=self.ssl_context,
                    handle_signals=False, loop=loop, print=lambda *args: None, access_log=None,
                    shutdown_timeout=10)

    def request_exit(self) -> None:
        raise GracefulExit()


def check_host(host: str, book: AccountBook) -> None:
    """Any address but loopback only once accounts exist: nobody else gets in without one."""
    if not is_loopback(host) and not book:
        raise WorkbenchError(f"{book.path}: no accounts yet, so the server binds only 127.0.0.1; "
                             f"add them first (`workbench account add {book.project} NAME`)")


def _int(value, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return default
