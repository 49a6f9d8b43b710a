// The status page when the outbox cannot write, in Debian's headless
// Chromium against a real `kutsu serve` (StoreOutageScenario in
// scenario.mjs): the daemon's state_dir is a 4 MiB tmpfs, the test fills it
// to the last byte and adds a series of 600 participants, whose plan then
// cannot be stored. A person signing in, on a laptop or a phone, sees that
// first, above everything else; once the disk has room again the daemon
// stores the plan by itself and the alert goes away. Screenshots of both
// land in KUTSU_ARTIFACTS. Mounting needs root: CI runs as root; elsewhere
// the tests are skipped, saying so, and ctest reports them as not run.
// Run by ctest (tests/admin/browser/CMakeLists.txt), which sets
// KUTSU_BINARY, KUTSU_NODE_MODULES and KUTSU_ARTIFACTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {SmallDisk, StoreOutageScenario, TOKEN} from './scenario.mjs';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through ctest`);
  return value;
}

// The reason for skipping is matched by the ctest entry's SKIP_REGULAR_EXPRESSION.
const NOT_ROOT = SmallDisk.available() ?
    false :
    'needs root to mount a tmpfs (CI runs as root); the store outage was not tried';

const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const {chromium} = require('playwright-core');

const artifacts = env('KUTSU_ARTIFACTS');
const scenario = new StoreOutageScenario({binary: env('KUTSU_BINARY')});
const BIG = 'suuri';  // the series whose plan waits for the disk
const HEADLINE = 'The outbox cannot write; nothing is sent.';
const FULL = 'the disk holding the outbox is full';
let browser;
let laptop;  // the laptop's page, left open from the outage to the recovery
let phone;

const LAPTOP = {
  viewport: {width: 1280, height: 900},
  timezoneId: 'America/New_York'
};
const PHONE = {
  viewport: {width: 390, height: 844},
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  timezoneId: 'Asia/Tokyo'
};

// Also when the test is stopped half-way: no tmpfs stays mounted.
function cleanUpNow() {
  try {
    scenario.stop();
  } catch (error) {
    console.error(error.message);
  }
}
process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUpNow();
    process.exit(1);
  });
}

async function signIn(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.problems = problems;
  await page.goto(`${scenario.url}/`);
  await page.getByLabel('Admin token').fill(TOKEN);
  await page.getByRole('button', {name: 'Show status'}).click();
  await page.locator('#dashboard').waitFor({state: 'visible'});
  return page;
}

// The overview's alert as a person meets it: its texts, whether it is the
// overview's very first node, and where it is on the first screen.
function readAlert(page) {
  return page.evaluate(() => {
    const overview = document.getElementById('overview');
    const alerts = [...document.querySelectorAll('[role="alert"]')].filter(
        (node) => node.checkVisibility() && node.textContent.trim() !== '');
    const alert = overview.querySelector('[role="alert"]');
    if (!alert) return {shownAlerts: alerts.length, alert: null};
    const box = alert.getBoundingClientRect();
    const dashboard = document.getElementById('dashboard').getBoundingClientRect();
    return {
      shownAlerts: alerts.length,
      alert: {
        first: overview.firstChild === alert,
        headline: alert.querySelector('strong').textContent,
        paragraphs: [...alert.querySelectorAll('p')].map((p) => p.textContent),
        visible: alert.checkVisibility(),
        // Nothing of the dashboard above it, and all of it on the first screen.
        topOfDashboard: [...document.querySelectorAll('#dashboard *')]
                            .filter(
                                (node) => node.checkVisibility() && !alert.contains(node) &&
                                    !node.contains(alert) && node.id !== 'overview-title')
                            .every((node) => node.getBoundingClientRect().top >= box.bottom - 1),
        onFirstScreen:
            window.scrollY === 0 && box.top >= dashboard.top && box.bottom <= window.innerHeight,
      },
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

before(async () => {
  if (NOT_ROOT) return;
  fs.mkdirSync(artifacts, {recursive: true});
  await scenario.start();
  // The outbox exists (the calm series is stored); now the disk fills and a
  // big series comes with the next reload.
  await scenario.storeWhen((store) => store.ok, 10000);
  scenario.disk.fill();
  scenario.addBigSeries(BIG, 600);
  scenario.reload();
  await scenario.daemon.waitFor(new RegExp(FULL), 15000);
  browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium'});
});

after(async () => {
  if (browser) await browser.close();
  if (scenario.daemon) {
    fs.writeFileSync(path.join(artifacts, 'daemon-store-outage.log'), scenario.daemon.text);
  }
  scenario.stop();
});

test(
    'a full disk is the first thing the page shows, on a laptop and a phone', {skip: NOT_ROOT},
    async () => {
      // The reload's outcome is in force a moment after its lines are printed.
      const store = await scenario.storeWhen((s) => !s.ok && s.series_waiting.includes(BIG), 10000);
      assert.deepEqual(store.series_waiting, [BIG]);
      assert.match(store.problem, new RegExp(FULL));

      for (const [name, device] of [['laptop', LAPTOP], ['phone', PHONE]]) {
        const context = await browser.newContext(device);
        const page = await signIn(context);
        const seen = await readAlert(page);
        assert.ok(seen.alert, `${name}: no alert in the overview`);
        assert.equal(seen.shownAlerts, 1, `${name}: one alert on the page`);
        assert.equal(seen.alert.first, true, `${name}: the alert is the overview's first node`);
        assert.equal(seen.alert.visible, true, `${name}: the alert is visible`);
        assert.equal(seen.alert.headline, HEADLINE);
        assert.deepEqual(seen.alert.paragraphs, [store.problem, `Waiting to be stored: ${BIG}.`]);
        assert.ok(seen.alert.paragraphs[0].includes(FULL), seen.alert.paragraphs[0]);
        assert.equal(
            seen.alert.topOfDashboard, true, `${name}: something on the dashboard is above it`);
        assert.equal(
            seen.alert.onFirstScreen, true, `${name}: not all of it is on the first screen`);
        assert.equal(seen.overflow, 0, `${name}: the page scrolls sideways`);
        // The same as Playwright's role query finds: a live region for screen readers.
        const alert = page.locator('#overview').getByRole('alert');
        assert.ok((await alert.innerText()).includes(HEADLINE));
        await page.screenshot(
            {path: path.join(artifacts, `status-page-outbox-full-${name}.png`), fullPage: true});
        assert.deepEqual(page.problems, []);
        if (name === 'laptop')
          laptop = page;
        else
          phone = page;
      }
    });

test('when the disk has room again the alert goes away', {skip: NOT_ROOT}, async () => {
  assert.ok(laptop && phone, 'the outage was not shown (see the test before)');
  scenario.disk.freeSpace();
  // The daemon loads the waiting series again every few seconds, by itself.
  await scenario.daemon.waitFor(
      new RegExp(`series ${BIG}: stored now that the outbox can write again`), 20000);
  await scenario.storeWhen((s) => s.ok && s.series_waiting.length === 0, 10000);

  // The laptop's page, left open, loses the alert at its own next refresh (every 10 s).
  await laptop.locator('#overview').getByRole('alert').waitFor({state: 'detached', timeout: 20000});
  // The phone reloads the page (the token stays in the tab).
  await phone.reload();
  await phone.locator('#dashboard').waitFor({state: 'visible'});

  for (const [name, page] of [['laptop', laptop], ['phone', phone]]) {
    const seen = await readAlert(page);
    assert.equal(seen.alert, null, `${name}: the alert is still there`);
    assert.equal(seen.shownAlerts, 0, `${name}: an alert is still shown`);
    const overview = await page.locator('#overview').innerText();
    assert.ok(!overview.includes('outbox'), `${name}: the overview says ${overview}`);
    // The waiting series is in force now.
    assert.ok((await page.locator('#series h3').allInnerTexts()).includes('Suuri sarja'), name);
    await page.screenshot(
        {path: path.join(artifacts, `status-page-outbox-recovered-${name}.png`), fullPage: true});
    assert.deepEqual(page.problems, []);
  }
});
