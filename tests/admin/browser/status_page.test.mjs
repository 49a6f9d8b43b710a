// The status page in a real browser: Debian's headless Chromium, driven by
// playwright-core, against a real `kutsu serve` (scenario.mjs). It signs in
// with the admin token, reads what a person would read (series, next sends,
// failures with the server's reply, what was sent, a page at a time and per
// series, the sends per day ahead, the last reload's errors), checks that no
// time on the page lacks its zone, retries a failed webhook, and saves
// screenshots of a laptop and a phone into KUTSU_ARTIFACTS. Run by ctest (tests/admin/browser/CMakeLists.txt), which
// sets KUTSU_BINARY, KUTSU_SOURCE_DIR, KUTSU_NODE_MODULES and KUTSU_ARTIFACTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {REFUSAL, REFUSED, Scenario, TOKEN} from './scenario.mjs';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through ctest`);
  return value;
}

// playwright-core is installed by `npm ci` beside package.json in the build tree.
const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const {chromium} = require('playwright-core');

const artifacts = env('KUTSU_ARTIFACTS');
const scenario = new Scenario({binary: env('KUTSU_BINARY'), sourceDir: env('KUTSU_SOURCE_DIR')});
let browser;
let failures;  // the two notifications that failed, from the API

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

// The API is the truth the page is checked against; a delivery result is
// committed shortly after the send, so its state is read until it shows.
async function failedNotifications(count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await scenario.api('/api/v1/notifications?state=failed');
    if (page.notifications.length >= count) return page.notifications;
    if (Date.now() > deadline) {
      throw new Error(
          `${page.notifications.length} of ${count} failed notifications after ` +
          `${timeoutMs} ms; daemon said:\n${scenario.daemon.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

const cellText = (row, label) => row.locator(`td[data-label="${label}"]`).innerText();

before(async () => {
  fs.mkdirSync(artifacts, {recursive: true});
  await scenario.start();
  // The invitation goes out two seconds after start: the webhook's 410 and
  // the SMTP server's 550 each fail one of them.
  await scenario.webhook.waitForRequests(1, 30000);
  failures = await failedNotifications(2, 15000);
  browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium'});
});

after(async () => {
  if (browser) await browser.close();
  if (scenario.daemon) fs.writeFileSync(path.join(artifacts, 'daemon.log'), scenario.daemon.text);
  scenario.stop();
});

test('asks for the token and says so when it is refused', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${scenario.url}/`);
  assert.equal(await page.title(), 'Kutsu status');
  assert.ok(await page.locator('#dashboard').isHidden());
  await page.getByLabel('Admin token').fill('not-the-token');
  await page.getByRole('button', {name: 'Show status'}).click();
  await page.getByText('The token was refused. Enter it again.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.ok(await page.locator('#dashboard').isHidden());
  await context.close();
});

test('shows the series, the next sends, the failures and the reload errors', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await signIn(context);

  // Series, with the next session in the series' own time (not New York's).
  const titles = await page.locator('#series h3').allInnerTexts();
  assert.deepEqual(titles, [
    'Uusien aluevaltuutettujen webinaarisarja',
    '<img src=x onerror="window.__kutsuInjected = 1"> & <b>lihava</b>',
    'Aamukahvit'
  ]);
  const example = page.locator('#series article').first();
  const exampleText = await example.innerText();
  assert.match(exampleText, /Next session: Valtakunnallisen yhteistyön käynnistäminen/);
  assert.match(exampleText, /Wed 2 Feb 2022, 18:00–19:30 \(Europe\/Helsinki\)/);
  assert.match(exampleText, /failed 2/);
  // The markup series: its titles are text; nothing in them ran or became an element.
  const markup = page.locator('#series article').nth(1);
  assert.match(await markup.innerText(), /<\/td><script>window.__kutsuInjected = 2<\/script>/);
  assert.equal(await page.evaluate(() => window.__kutsuInjected), undefined);
  assert.equal(await page.locator('#series img, #series h3 b, #series script').count(), 0);
  // A recurring session's dates are counted as sessions, and said whose they are.
  const weekly = page.locator('#series article').nth(2);
  assert.match(await weekly.innerText(), /3 sessions; 3 dates of kahvit/);

  // Next sends: the first moment after the invitation, grouped by channel.
  const plan = await scenario.plan();
  const invitationDue = plan.find((n) => n.kind === 'invitation').due;
  const nextDue = plan.map((n) => n.due).filter((due) => due > invitationDue).sort()[0];
  const emails = plan.filter((n) => n.due === nextDue && n.channel === 'email');
  assert.ok(emails.length > 1);
  const first = page.locator('#upcoming tbody tr').first();
  assert.equal(
      await cellText(first, 'When'), 'Wed 26 Jan 2022, 18:00 (Europe/Helsinki)\nin 7 days 8 h');
  assert.equal(
      await cellText(first, 'Session'),
      'Valtakunnallisen yhteistyön käynnistäminen\nUusien aluevaltuutettujen webinaarisarja');
  assert.equal(await cellText(first, 'Kind'), 'Reminder, 7 days before');
  assert.equal(await cellText(first, 'Channel'), 'email');
  assert.equal(await cellText(first, 'Recipients'), `${emails.length} recipients`);
  await first.getByText(`${emails.length} recipients`).click();
  const listed = await first.locator('li').allInnerTexts();
  assert.deepEqual(listed.sort(), emails.map((n) => n.recipient).sort());
  const webhookRow = page.locator('#upcoming tbody tr').nth(1);
  assert.equal(await cellText(webhookRow, 'Channel'), 'webhook');
  assert.equal(await cellText(webhookRow, 'Recipient'), 'tiimi');

  // Failures, each with what the server said.
  const refused = page.locator('#failures tbody tr', {hasText: REFUSED});
  assert.equal(await cellText(refused, 'Due'), 'Wed 19 Jan 2022, 09:00 (Europe/Helsinki)');
  assert.equal(await cellText(refused, 'Kind'), 'Invitation\nemail');
  assert.equal(await cellText(refused, 'State'), 'failed');
  assert.match(
      await cellText(refused, 'Server reply'),
      new RegExp(`^permanent 550 .*${REFUSAL.slice(4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  const gone = page.locator('#failures tbody tr', {hasText: 'tiimi'});
  assert.match(await cellText(gone, 'Server reply'), /^permanent 410 /);

  // The last reload: the broken file's errors exactly as `kutsu check` words them.
  const expected = await scenario.brokenFileErrors();
  assert.deepEqual(await page.locator('#reload pre').allInnerTexts(), expected);
  assert.match(await page.locator('#reload').innerText(), /1 of 4 files did not load/);

  await page.screenshot({path: path.join(artifacts, 'status-page-laptop.png'), fullPage: true});
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Every sent invitation is recorded: all but the two that failed.
async function sentInvitations(timeoutMs) {
  const invitations = (await scenario.plan()).filter((n) => n.kind === 'invitation').length;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const {counts} = await scenario.api('/api/v1/status');
    if (counts.sent === invitations - 2) return counts.sent;
    if (Date.now() > deadline) {
      throw new Error(`${counts.sent} of ${invitations - 2} invitations sent after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const rowIds = (page, list) =>
    page.locator(`${list} tbody tr`).evaluateAll((rows) => rows.map((row) => row.dataset.id));

// Waits until the first row of "Recently sent" is `id` (a page was drawn).
const sentPageStartsWith = (page, id) => page.waitForFunction(
    (first) => document.querySelector('#sent tbody tr')?.dataset.id === first, id);

test('lists what was sent, newest first, twenty at a time and per series', async () => {
  const total = await sentInvitations(15000);
  assert.ok(total > 20, `only ${total} sent: one page`);
  const context = await browser.newContext(LAPTOP);
  const page = await signIn(context);
  const pageOne = await scenario.api('/api/v1/notifications?state=sent&order=newest&limit=20');
  const pageTwo = await scenario.api(
      `/api/v1/notifications?state=sent&order=newest&limit=20&after=${pageOne.next}`);
  assert.equal(pageOne.notifications.length, 20);
  assert.equal(pageTwo.notifications.length, total - 20);
  assert.equal(pageTwo.next, null);

  // The first page is the API's, newest first: the invitations share their
  // due moment, so by id, descending.
  await sentPageStartsWith(page, pageOne.notifications[0].id);
  const ids = await rowIds(page, '#sent');
  assert.deepEqual(ids, pageOne.notifications.map((n) => n.id));
  assert.deepEqual(ids, [...ids].sort().reverse());
  const row = page.locator('#sent tbody tr').first();
  assert.equal(await cellText(row, 'Due'), 'Wed 19 Jan 2022, 09:00 (Europe/Helsinki)');
  assert.match(await cellText(row, 'Sent'), /^Wed 19 Jan 2022, 07:0\d UTC$/);
  assert.match(await cellText(row, 'Kind'), /^Invitation\n(email|webhook)$/);
  assert.equal(await page.locator('#sent-position').innerText(), `1–20 of ${total} sent`);
  assert.ok(await page.getByRole('button', {name: 'Newer'}).isDisabled());

  // Older shows the second page, Newer the first again.
  await page.getByRole('button', {name: 'Older'}).click();
  await sentPageStartsWith(page, pageTwo.notifications[0].id);
  assert.deepEqual(await rowIds(page, '#sent'), pageTwo.notifications.map((n) => n.id));
  assert.equal(await page.locator('#sent-position').innerText(), `21–${total} of ${total} sent`);
  assert.ok(await page.getByRole('button', {name: 'Older'}).isDisabled());
  await page.getByRole('button', {name: 'Newer'}).click();
  await sentPageStartsWith(page, pageOne.notifications[0].id);
  assert.deepEqual(await rowIds(page, '#sent'), ids);

  // Per series: the weekly series sent nothing; the example sent them all.
  // (Its label is "Series", which is also the name of the series section.)
  const filter = page.locator('#sent-series');
  assert.equal(await filter.evaluate((select) => select.labels[0].textContent), 'Series');
  await filter.selectOption({label: 'Aamukahvit'});
  await page.locator('#sent').getByText('Nothing has been sent yet.').waitFor();
  await filter.selectOption({label: 'Uusien aluevaltuutettujen webinaarisarja'});
  await sentPageStartsWith(page, pageOne.notifications[0].id);
  assert.equal(await page.locator('#sent-position').innerText(), `1–20 of ${total} sent`);
  assert.deepEqual(page.problems, []);
  await context.close();
});

// The local date ("2022-01-26") of a `kutsu plan` notification.
const localDate = (notification) => notification.due_local.slice(0, 10);

test('draws the sends per day of the next four weeks, a chart per series', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await signIn(context);
  const figures = page.locator('#load figure');
  await figures.first().waitFor();
  const loaded = (await scenario.api('/api/v1/series')).series;
  assert.equal(await figures.count(), loaded.length);

  const detail = await scenario.api('/api/v1/series/aluevaltuutetut-2022');
  assert.equal(detail.load.length, 28);
  // The API's days against the plan: every reminder in the four weeks from
  // the daemon's today (19 January in Helsinki), counted by its local date.
  assert.equal(detail.load[0].date, '2022-01-19');
  const plan = await scenario.plan();
  const fromPlan = {};
  for (const n of plan) {
    if (n.kind === 'invitation' || localDate(n) > detail.load.at(-1).date) continue;
    fromPlan[localDate(n)] = (fromPlan[localDate(n)] || 0) + 1;
  }
  const fromApi = Object.fromEntries(detail.load.filter((d) => d.count).map((d) => [d.date, d.count]));
  assert.deepEqual(fromApi, fromPlan);
  assert.deepEqual(Object.keys(fromApi),
                   ['2022-01-26', '2022-02-01', '2022-02-02', '2022-02-09', '2022-02-15']);

  // A bar per day with the API's count, titled with the date and count;
  // the busiest day is the tallest bar.
  const chart = figures.filter({hasText: detail.title});
  const bars = await chart.locator('li.bar').evaluateAll((items) => items.map((item) => ({
    date: item.dataset.date,
    count: Number(item.dataset.count),
    title: item.title,
    height: item.firstElementChild.getBoundingClientRect().height,
  })));
  assert.deepEqual(bars.map((b) => [b.date, b.count]), detail.load.map((d) => [d.date, d.count]));
  const busiest = bars.reduce((a, b) => (b.count > a.count ? b : a));
  assert.equal(busiest.height, Math.max(...bars.map((b) => b.height)));
  assert.ok(bars.filter((b) => b.count === 0).every((b) => b.height === 0));
  const first = bars.find((b) => b.date === '2022-01-26');
  assert.equal(first.title, `Wed 26 Jan 2022: ${first.count} to send`);
  assert.match(await chart.locator('figcaption').innerText(), /days in Europe\/Helsinki/);
  // The text alternative: a table of the same days, for screen readers.
  const table = await chart.locator('table tbody tr').evaluateAll(
      (rows) => rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent)]));
  assert.equal(table.length, 28);
  assert.deepEqual(table.map(([, count]) => count), detail.load.map((d) => d.count));
  assert.equal(table[0][0], 'Wed 19 Jan 2022');
  assert.equal(await chart.locator('ol.bars').getAttribute('aria-hidden'), 'true');
  assert.deepEqual(page.problems, []);
  await context.close();
});

// A time on the page: "18:00", "18:00–19:30", "07:00:02"; then what must follow it.
const TIME = /(?<![\d:.])\d{1,2}:\d{2}(?::\d{2})?(?:–\d{1,2}:\d{2})?(?![\d:])/g;
const ZONE = /^(?: UTC| \([A-Z][A-Za-z_]+(?:\/[A-Za-z_+-]+)+\)| \(UTC\))/;

test('says the zone of every time it shows, in a Finnish browser too', async () => {
  const context = await browser.newContext({...LAPTOP, locale: 'fi-FI'});
  const page = await signIn(context);
  await page.locator('#sent tbody tr').first().waitFor();
  await page.getByText(/^Updated /).waitFor();
  const text = await page.locator('body').innerText();
  const bare = [];
  let times = 0;
  for (const match of text.matchAll(TIME)) {
    ++times;
    const after = text.slice(match.index + match[0].length);
    if (!ZONE.test(after)) bare.push(text.slice(Math.max(0, match.index - 30), match.index + 40));
  }
  assert.ok(times > 40, `only ${times} times on the page`);
  assert.deepEqual(bare, []);
  // Dotted times as a Finnish browser writes them ("0.15.09") are gone too.
  assert.doesNotMatch(text, /\b\d{1,2}\.\d{2}\.\d{2}\b/);
  assert.match(
      await page.locator('#connection').innerText(),
      /^Updated \d{2}:\d{2}:\d{2} \(America\/New_York\); refreshes every 10 s\.$/);
  assert.match(await page.locator('#about').innerText(), /daemon time \w{3} \d+ \w{3} 2022, \d{2}:\d{2} UTC/);
  await context.close();
});

test('Retry sends a failed notification again and it leaves the failures', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await signIn(context);
  const webhook = failures.find((n) => n.channel === 'webhook');
  const row = page.locator(`#failures tbody tr[data-id="${webhook.id}"]`);
  await row.getByRole('button', {name: 'Retry invitation to tiimi'}).click();

  await row.waitFor({state: 'detached', timeout: 5000});  // at once, not at the next 10 s refresh
  assert.equal(
      await page.locator('#retry-outcome').innerText(), 'Invitation to tiimi will be sent again.');
  const [firstCall, secondCall] = await scenario.webhook.waitForRequests(2, 15000);
  assert.equal(secondCall.headers['webhook-id'], webhook.id);
  assert.equal(firstCall.headers['webhook-id'], webhook.id);
  // The other failure stays, its Retry still there.
  await page.locator('#failures tbody tr', {hasText: REFUSED}).getByRole('button').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('reads well on a phone, and a refused token asks again', async () => {
  const context = await browser.newContext(PHONE);
  const page = await signIn(context);
  const layout = await page.evaluate(
      () => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        // Anything wider than the phone widens the layout viewport, which
        // the phone then shows zoomed out: innerWidth says so, scrollWidth not.
        layoutWidth: window.innerWidth,
        fontSize: parseFloat(getComputedStyle(document.querySelector('#upcoming td')).fontSize),
        labelShown: getComputedStyle(document.querySelector('#upcoming td'), '::before').content,
      }));
  assert.equal(layout.overflow, 0, 'the page scrolls sideways on a phone');
  assert.equal(layout.layoutWidth, PHONE.viewport.width, 'something is wider than the phone');
  assert.ok(layout.fontSize >= 14, `table text is ${layout.fontSize}px`);
  assert.equal(layout.labelShown, '"When"');  // each row is a card with labels
  await page.screenshot({path: path.join(artifacts, 'status-page-phone.png'), fullPage: true});

  // The token stops working (another one is in the tab): the next request asks again.
  await page.evaluate(() => sessionStorage.setItem('kutsu.admin-token', 'stale'));
  await page.locator('#failures tbody tr', {hasText: REFUSED}).getByRole('button').click();
  await page.getByText('The token was refused. Enter it again.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kutsu.admin-token')), null);
  assert.ok(await page.locator('#dashboard').isHidden());
  assert.deepEqual(page.problems.filter((p) => !p.includes('401')), []);
  await context.close();
});

test('a session deleted after its invitation: the reload says when its cancellations go out', async () => {
  const toml = fs.readFileSync(scenario.exampleFile, 'utf8');
  const start = toml.indexOf('[[session]]\nid = "pelastustoimi"');
  const end = toml.indexOf('[[session]]', start + 1);
  assert.ok(start > 0 && end > start, 'the example has the session "pelastustoimi" before another');
  fs.writeFileSync(scenario.exampleFile, toml.slice(0, start) + toml.slice(end));
  await scenario.api('/api/v1/reload', 'POST');
  const context = await browser.newContext(LAPTOP);
  const page = await signIn(context);
  const notice = page.locator('#reload .notice');
  await notice.waitFor();
  assert.match(
      await notice.innerText(),
      /^aluevaltuutetut-2022: pelastustoimi removed after the invitation went out; \d+ cancellations will be sent at \S+Z unless the file has it again by then$/);
  assert.deepEqual(page.problems, []);
  await context.close();
});
