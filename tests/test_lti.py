"""coach as an LTI 1.3 tool, end to end against an LMS built with ``lti1p3platform`` on a free
port: login → launch → the learner lands in the scenario; forged, expired, misaddressed and
replayed launches are refused; deep linking returns a link the LMS accepts; a finished
rehearsal puts its score in the LMS gradebook (retried when the LMS is down); the instructor
lands in their course's dashboard, which lists the course's members (NRPS)."""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from coach.lti import config, grades, launches
from coach.store import Store, migrate, queries
from tests import lti_platform
from tests.lti_platform import Activity
from tests.test_store_app import WEAK_LINES, call, fn_index

pytest.importorskip("pylti1p3")

SCENARIO = "leads-garbage-missed-quarter"


@pytest.fixture(scope="module")
def lms():
    from ui.testing import serving

    lms = lti_platform.new_lms()
    lms.activities = {
        "practice": Activity("practice", {"scenario": SCENARIO, "level": "hostile", "lang": "en"}),
        "latest": Activity(
            "latest", {"scenario": SCENARIO, "level": "hostile", "grade_policy": "latest"}
        ),
        "advice": Activity("advice", {"tab": "advice", "lang": "es"}),
        "add": Activity("add", {}, deep_link=True),
    }
    with serving(lti_platform.build_lms(lms)) as url:
        lms.base = url.rstrip("/")
        yield lms


@pytest.fixture(scope="module")
def tool(shipped_settings, coach, lms, tmp_path_factory):
    """coach with the LMS registered, served like `coach serve` does."""
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = shipped_settings.model_copy(
        update={"data_dir": tmp_path_factory.mktemp("lti-tool"), "trainer_password": None}
    )
    lms.register_with(settings)
    demo = build_app(settings, coach=coach)
    with serving(create_server(settings, demo)) as url:
        lms.tool = url.rstrip("/")
        store = Store(f"sqlite:///{settings.data_dir / 'coach.db'}")
        _wait_for_schema(store)
        yield url, demo, settings, store
        store.close()


def _wait_for_schema(store) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if migrate.current(store.engine) == migrate.head():
                return
        except Exception:  # noqa: BLE001 - the file is being created
            pass
        time.sleep(0.1)


def start_login(browser: httpx.Client, lms, activity: str, user: str) -> dict:
    """The LMS opens the tool's login; the tool answers with a redirect to the LMS's auth
    endpoint, whose query is the OIDC request the LMS signs a launch for."""
    login = browser.get(lms.login_url(activity, user) + "&lti1p3_new_window=1")
    assert login.status_code == 302, login.text
    location = login.headers["location"]
    assert location.startswith(f"{lms.base}/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def launch(browser: httpx.Client, lms, activity: str, user: str, **changes) -> httpx.Response:
    form = lms.launch_message(start_login(browser, lms, activity, user), **changes)
    return browser.post(form.pop("url"), data=form)


def page_load(tool, browser: httpx.Client, query: str = "") -> list:
    """The page's load event as the browser sends it, with the browser's cookies."""
    url, demo, _, _ = tool
    return call(
        url, fn_index(demo, "on_load"), [None], uuid.uuid4().hex, cookies=dict(browser.cookies)
    )


def learner_of(outputs: list) -> str:
    return outputs[-1] if isinstance(outputs[-1], str) else outputs[-1]["value"]


def rehearse(tool, learner: str, lines=WEAK_LINES) -> None:
    url, demo, _, _ = tool
    session = uuid.uuid4().hex
    call(url, fn_index(demo, "on_start"), [SCENARIO, "hostile", "en", "en", learner], session)
    for line in lines:
        out = call(url, fn_index(demo, "on_send"), [line, None, "en"], session)
        if "Scorecard" in str(out):
            return
    raise AssertionError("the rehearsal did not finish")


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_learner_lands_in_the_scenario_and_the_score_reaches_the_gradebook(tool, lms):
    _, _, _, store = tool
    with httpx.Client() as browser:
        landed = launch(browser, lms, "practice", "alice")
        assert landed.status_code == 303, landed.text
        target = parse_qs(urlsplit(landed.headers["location"]).query)
        assert target["tab"] == ["rehearse"] and target["scenario"] == [SCENARIO]
        assert target["level"] == ["hostile"] and target["lang"] == ["en"]
        cookie = landed.headers["set-cookie"]
        assert "coach-lti=" in cookie and "httponly" in cookie.lower()
        assert launches.COOKIE in browser.cookies and landed.headers["location"].count("=") < 8
        learner = learner_of(page_load(tool, browser))
    with httpx.Client() as again:  # the same person, another day: the same history
        launch(again, lms, "practice", "alice")
        assert learner_of(page_load(tool, again)) == learner
    # The same computer, later, without a launch (the next person in a computer room): the
    # id the browser kept from Alice's launch is not reused.
    url, demo, _, _ = tool
    fresh = call(url, fn_index(demo, "on_load"), [learner], uuid.uuid4().hex)
    assert learner_of(fresh) != learner

    before = len(lms.scores)
    rehearse(tool, learner)
    item, score = wait_for(lambda: lms.scores[before:] and lms.scores[-1])
    [attempt] = queries.history_for(store, f"learner:{learner}")["attempts"]
    assert item == "practice"
    assert score["userId"] == "sub-alice"
    assert score["scoreGiven"] == attempt["score"] and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert "escalated" in score["comment"] and str(attempt["score"]) in score["comment"]
    in_course = queries.scenario_table(store, queries.Filters(course=lti_platform.COURSE))
    assert [r["scenario"] for r in in_course] == [SCENARIO]  # the attempt carries the course
    rows = grades.status_rows(store, lti_platform.COURSE)
    assert rows[0]["learner"] == "Alice Romero" and rows[0]["status"] == "sent"


def test_forged_expired_misaddressed_and_replayed_launches_are_refused(tool, lms):
    other_key, _ = config._new_pair()
    cases = {
        "tampered signature": {"key": other_key},
        "wrong audience": {"aud": "someone-else"},
        "expired": {"exp": int(time.time()) - 60},
        "unknown deployment": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "x"},
    }
    for case, changes in cases.items():
        with httpx.Client() as browser:
            refused = launch(browser, lms, "practice", "alice", **changes)
            assert refused.status_code == 400, case
            assert "could not open this activity" in refused.text, case
            assert "Traceback" not in refused.text and launches.COOKIE not in browser.cookies

    with httpx.Client() as browser:
        form = lms.launch_message(start_login(browser, lms, "practice", "bob"))
        url = form.pop("url")
        assert browser.post(url, data=form).status_code == 303
        replayed = browser.post(url, data=form)  # the same signed id_token, again
        assert replayed.status_code == 400 and "already used" in replayed.text
        in_spanish = browser.post(url, data=form, headers={"Accept-Language": "es-MX,es;q=0.9"})
        assert "Este acceso ya se usó" in in_spanish.text and 'lang="es"' in in_spanish.text
    with httpx.Client() as stranger:  # a launch that did not start in this browser
        form = lms.launch_message(start_login(httpx.Client(), lms, "practice", "bob"))
        refused = stranger.post(form.pop("url"), data=form)
        assert refused.status_code == 400 and "did not start from this browser" in refused.text


def test_deep_linking_returns_a_signed_link_with_a_line_item_the_lms_accepts(tool, lms):
    with httpx.Client() as browser:
        picker = launch(browser, lms, "add", "teacher")
        assert picker.status_code == 200 and 'name="scenario"' in picker.text
        assert f'value="{SCENARIO}"' in picker.text
        fields = dict(re.findall(r'name="(launch_id|check)" value="([^"]+)"', picker.text))
        action = re.search(r'<form method="post" action="([^"]+)"', picker.text).group(1)
        chosen = {**fields, "scenario": SCENARIO, "level": "calm", "lang": "es"}
        response = browser.post(unescape(action), data={**chosen, "grade_policy": "latest"})
        assert response.status_code == 200
        back = re.search(r'action="([^"]+)"', response.text).group(1)
        jwt = re.search(r'name="JWT" value="([^"]+)"', response.text).group(1)
        assert back == f"{lms.base}/deep-link-return"
        accepted = httpx.post(back, data={"JWT": jwt})  # the LMS checks the tool's signature
        assert accepted.status_code == 200 and "Added" in accepted.text
        forged = browser.post(unescape(action), data={**chosen, "check": "guess"})
        assert forged.status_code == 400
    item = lms.deep_linked[-1]
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch")
    assert item["custom"] == {
        "tab": "rehearse",
        "scenario": SCENARIO,
        "level": "calm",
        "lang": "es",
        "grade_policy": "latest",
    }
    assert item["lineItem"]["scoreMaximum"] == 100


def test_a_grade_the_lms_refuses_is_kept_retried_and_shown_to_trainers(tool, lms):
    _, _, settings, store = tool
    with httpx.Client() as browser:
        launch(browser, lms, "latest", "erin")
        learner = learner_of(page_load(tool, browser))
    lms.fail_scores = 1
    before = len(lms.scores)
    rehearse(tool, learner)
    failed = wait_for(
        lambda: [r for r in grades.status_rows(store) if r["status"] == "failed"] or None
    )
    assert "503" in failed[0]["error"] and failed[0]["learner"] == "Erin Walsh"
    assert len(lms.scores) == before  # nothing reached the gradebook, nothing was lost
    time.sleep(2.2)  # the pause before a retry grows with each failure: 2 s after the first
    assert grades.send_due(store, settings) == {"sent": 1, "failed": 0}
    assert lms.scores[-1][0] == "latest" and lms.scores[-1][1]["userId"] == "sub-erin"
    assert not [r for r in grades.status_rows(store) if r["status"] == "failed"]


def test_a_score_goes_only_to_the_launch_and_person_that_earned_it(tool, lms):
    _, _, settings, store = tool
    with httpx.Client() as browser:
        launch(browser, lms, "advice", "carla")  # an advice activity: nothing to grade
        landed = page_load(tool, browser)
        carla = learner_of(landed)
    before = len(lms.scores)
    rehearse(tool, carla)  # her own rehearsal, but no activity of hers points at it
    anonymous = "x" * 24  # a browser that never came from the course
    rehearse(tool, anonymous)
    with httpx.Client() as forger:  # a made-up launch cookie is no launch at all
        forger.cookies.set(launches.COOKIE, "not-a-real-launch-token-at-all")
        assert learner_of(page_load(tool, forger)) != carla
    time.sleep(1.0)
    grades.send_due(store, settings)
    assert len(lms.scores) == before
    assert grades.queue(store, carla, "some-other-attempt") == 0


def test_the_instructor_lands_in_their_course_dashboard_with_members_who_never_practised(tool, lms):
    url, demo, _, store = tool
    with httpx.Client() as browser:
        landed = launch(browser, lms, "practice", "teacher")
        assert parse_qs(urlsplit(landed.headers["location"]).query)["tab"] == ["trainer"]
        wait_for(
            lambda: any(
                r["learner"] == "Dan Ortiz"
                for r in queries.learner_table(store, queries.Filters(course=lti_platform.COURSE))
            )
        )
        session = uuid.uuid4().hex
        cookies = dict(browser.cookies)
        unlocked = call(url, fn_index(demo, "on_course_launch"), ["en"], session, cookies=cookies)
    assert "course-101" in str(unlocked) and unlocked[1]["visible"] is True
    # Another course's rehearsal is in the same database; the instructor never sees it, even
    # when they type that course into the filter.
    from coach.store import repo

    repo.start_attempt(
        store,
        "learner:elsewhere-0000000000",
        "r-else",
        SCENARIO,
        "calm",
        "en",
        title="Elsewhere",
        course="course-999",
    )
    repo.finish_attempt(store, "r-else", "resolved", 99, {"score": 99})
    dashboard = fn_index(demo, "on_dashboard")
    for typed in ("", "course-999"):
        note, scenarios, learners, *_ = call(
            url, dashboard, ["", "", "", typed, None, "en"], session, cookies=cookies
        )
        assert note == "" and 99 not in [row[-1] for row in learners["data"]]
        in_course = queries.scenario_table(store, queries.Filters(course=lti_platform.COURSE))
        expected = [[r["scenario"], r["attempts"]] for r in in_course]
        assert [row[:2] for row in scenarios["data"] if row[0]] == expected
        shown = {row[0] for row in learners["data"]}
        assert "Dan Ortiz" in shown and not any("elsewhere" in name for name in shown)
    rows = {
        r["learner"]: r
        for r in queries.learner_table(store, queries.Filters(course=lti_platform.COURSE))
    }
    learners = {u.name for u in lms.users.values() if lti_platform.LEARNER_ROLE in u.roles}
    assert set(rows) == learners  # the course's learners, practised or not
    assert rows["Dan Ortiz"]["attempts"] == 0  # listed by the LMS, never practised
    assert "Tomás Vidal" not in rows  # the instructor is not a learner of the course
    with httpx.Client() as learner_browser:  # a learner's launch unlocks nothing
        launch(learner_browser, lms, "practice", "bob")
        out = call(
            url,
            fn_index(demo, "on_course_launch"),
            ["en"],
            uuid.uuid4().hex,
            cookies=dict(learner_browser.cookies),
        )
        assert all(o == {"__type__": "update"} or o is None for o in out)


def test_the_tool_publishes_its_keys_and_the_configuration_admins_paste(tool):
    url, _, settings, _ = tool
    keys = httpx.get(url + "lti/jwks").json()["keys"]
    assert [k["kid"] for k in keys] == [config.key_id(config.read_keys(settings)[1])]
    canvas = httpx.get(url + "lti/config.json").json()
    assert canvas["oidc_initiation_url"].endswith("/lti/login")
    assert canvas["public_jwk_url"].endswith("/lti/jwks")
    page = httpx.get(url + "lti/config").text
    assert "Initiate login URL" in page and "/lti/launch" in page


def test_activity_parameters_are_checked_not_trusted():
    activity = launches.Activity.from_custom(
        {"scenario": "s1", "level": "LOUD", "lang": "fr", "tab": "<script>", "grade_policy": "x"}
    )
    assert activity == launches.Activity(tab="rehearse", scenario="s1", policy="best")
    assert launches.Activity.from_custom(None).tab == "advice"


def test_key_rotation_keeps_the_old_public_key_published(tmp_path):
    from coach.settings import Settings

    settings = Settings(data_dir=tmp_path)
    first = config.make_keys(settings)
    assert config.make_keys(settings) == first  # kept, not replaced
    second = config.make_keys(settings, rotate=True)
    assert second != first
    assert [k["kid"] for k in config.jwks(settings)["keys"]] == [second, first]
    with pytest.raises(config.LtiConfigError, match="add-platform"):
        config.tool_conf(settings)


def test_in_chromium_the_course_page_launches_the_tool_in_its_frame_and_the_rehearsal_plays(
    tool, lms
):
    """The LMS page's iframe starts the login; the LMS auto-posts the launch; the rehearsal of
    the activity's scenario plays inside the frame at a phone's width, and its score arrives."""
    from tests.test_ui_browser import play_to_escalation

    before = len(lms.scores)
    with course_page(f"{lms.base}/course/practice?user=carla") as (page, expect):
        frame = page.frame_locator("#tool")
        expect(frame.locator("#rehearse-chat")).to_contain_text("garbage", timeout=30_000)
        play_to_escalation(frame)
        expect(frame.locator("#rehearse-scorecard")).to_contain_text("Scorecard")
    item, score = wait_for(lambda: lms.scores[before:] and lms.scores[-1])
    assert item == "practice" and score["userId"] == "sub-carla"


def test_in_chromium_blocked_cookies_in_the_course_frame_offer_a_new_window_that_works(tool, lms):
    """A browser that blocks third-party cookies (the LMS on another site than coach) gets a
    plain page in the frame with a button; the activity then opens in a new window."""
    other_site = lms.base.replace("127.0.0.1", "localhost")  # another site than the tool's
    blocking = ["--test-third-party-cookie-phaseout"]
    with course_page(f"{other_site}/course/practice?user=bob", blocking) as (page, expect):
        frame = page.frame_locator("#tool")
        expect(frame.locator("body")).to_contain_text("blocks coach's cookies")
        with page.expect_popup() as opened:
            frame.get_by_text("Open the activity in a new window").click()
        window = opened.value
        expect(window.locator("#rehearse-chat")).to_contain_text("garbage", timeout=30_000)


@contextlib.contextmanager
def course_page(url: str, extra_args: list[str] | None = None):
    """A course page at a phone's width in Debian's headless Chromium: (page, expect)."""
    from ui.testing import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        args = [*CHROMIUM_ARGS, *(extra_args or [])]
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = chromium.new_page(viewport={"width": 440, "height": 900})
            page.goto(url)
            yield page, sync_api.expect
        finally:
            chromium.close()
