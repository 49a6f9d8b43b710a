// Kutsu's calendars as Mozilla's ical.js (Thunderbird's parser) reads them:
// every invitation, update, cancellation and feed of every bundled example
// in every language (gallery.mjs). Where ical.js computes an instant, Node's
// own time-zone data (ICU, through Intl) is the independent check: neither
// shares code with libical or Howard Hinnant's date, which made the
// calendar.
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import path from 'node:path';
import {before, test} from 'node:test';

import {env, renderGallery} from './gallery.mjs';

// ical.js is installed by `npm ci` in tests/admin/browser's build tree.
const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const ICAL = require('ical.js');

let gallery;
let calendars;  // [{where, text, component}] for every calendar part and feed

before(async () => {
  gallery = await renderGallery();
  calendars = [];
  for (const mail of gallery.mails) {
    if (mail.calendar) calendars.push({where: `${mail.series}/${mail.name}`, mail, text: mail.calendar});
  }
  for (const [series, text] of Object.entries(gallery.feeds)) {
    calendars.push({where: `${series}/feed.ics`, text});
  }
  for (const calendar of calendars) calendar.component = new ICAL.Component(ICAL.parse(calendar.text));
});

function pad(n) {
  return String(n).padStart(2, '0');
}

// The wall-clock reading of an instant in `zone`, by Node's Intl.
function intlLocal(unixSeconds, zone) {
  const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit'})
          .formatToParts(new Date(unixSeconds * 1000))
          .map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

function localText(time) {
  return `${time.year}-${pad(time.month)}-${pad(time.day)}T${pad(time.hour)}:${pad(time.minute)}:` +
         `${pad(time.second)}`;
}

const events = (calendar) => calendar.component.getAllSubcomponents('vevent');
const only = (calendar) => {
  const all = events(calendar);
  assert.equal(all.length, 1, `${calendar.where}: ${all.length} events`);
  return all[0];
};

test('the VTIMEZONE places every date a client may ask about as the zone does', () => {
  const problems = [];
  let checked = 0;
  for (const calendar of calendars) {
    const vtimezone = calendar.component.getFirstSubcomponent('vtimezone');
    assert.ok(vtimezone, `${calendar.where}: no VTIMEZONE`);
    if (vtimezone.getFirstProperty('tzuntil')) {
      problems.push(`${calendar.where}: TZUNTIL ends the zone's rules`);
    }
    const zone = new ICAL.Timezone(vtimezone);
    const starts = events(calendar).map((event) => event.getFirstPropertyValue('dtstart'));
    const years = starts.map((start) => start.year);
    // The events themselves, and noon on the 15th of every month from a year
    // before the first event to three years after the last: a week view, a
    // later update, a moved session.
    const times = starts.map((start) => start.clone());
    for (let year = Math.min(...years) - 1; year <= Math.max(...years) + 3; ++year) {
      for (let month = 1; month <= 12; ++month) {
        times.push(new ICAL.Time({year, month, day: 15, hour: 12, minute: 0, second: 0}));
      }
    }
    for (const time of times) {
      const zoned = new ICAL.Time({year: time.year, month: time.month, day: time.day,
                                   hour: time.hour, minute: time.minute, second: time.second},
                                  zone);
      const instant = zoned.toUnixTime();
      const back = intlLocal(instant, zone.tzid);
      ++checked;
      if (back !== localText(time)) {
        problems.push(`${calendar.where}: ${localText(time)} ${zone.tzid} is ` +
                      `${new Date(instant * 1000).toISOString()} in ical.js, ` +
                      `which is ${back} there`);
      }
    }
  }
  assert.ok(checked > 1000, `only ${checked} dates checked`);
  assert.deepEqual(problems.filter((p) => !p.includes('TZUNTIL')).slice(0, 12), [],
                   `${problems.length} dates misplaced`);
  assert.deepEqual(problems, []);
});

test('an update or cancellation of an event first sent as PUBLISH replaces that event', () => {
  let pairs = 0;
  for (const invitation of calendars.filter((c) => c.mail?.name.endsWith('-invitation.eml'))) {
    const lang = invitation.mail.name.split('-')[0];
    // The rule's own event per UID; a recurring session's changed
    // occurrences (RECURRENCE-ID) are looked up by ical.js from it.
    const published = new Map(events(invitation)
                                  .filter((event) => !event.getFirstProperty('recurrence-id'))
                                  .map((event) => [event.getFirstPropertyValue('uid'), event]));
    const exceptions = events(invitation).filter((event) => event.getFirstProperty('recurrence-id'));
    if (published.size > 1) {
      assert.equal(invitation.component.getFirstPropertyValue('method'), 'PUBLISH',
                   invitation.where);
    }
    for (const change of calendars.filter(
             (c) => c.mail?.series === invitation.mail.series &&
                    /^(update|cancellation)-/.test(c.mail.name.slice(lang.length + 1)) &&
                    c.mail.name.startsWith(`${lang}-`))) {
      const isUpdate = change.mail.name.includes('-update-');
      assert.equal(change.component.getFirstPropertyValue('method'), isUpdate ? 'REQUEST' : 'CANCEL',
                   change.where);
      const event = new ICAL.Event(only(change));
      const first = published.get(event.uid);
      assert.ok(first, `${change.where}: UID ${event.uid} is not one the invitation published`);
      const master = new ICAL.Event(first, {exceptions: exceptions.filter(
          (e) => e.getFirstPropertyValue('uid') === event.uid)});
      // One occurrence of a recurring event: what the invitation's event
      // says of that occurrence (its changed version, if any).
      const before = event.isRecurrenceException()
                         ? master.getOccurrenceDetails(event.recurrenceId)
                         : {startDate: master.startDate, endDate: master.endDate};
      assert.ok(!event.isRecurrenceException() || master.isRecurring(),
                `${change.where}: a RECURRENCE-ID for an event without a rule`);
      // A client keeps the newer version: higher SEQUENCE, later DTSTAMP.
      assert.ok(event.sequence > master.sequence,
                `${change.where}: SEQUENCE ${event.sequence} not above ${master.sequence}`);
      assert.ok(only(change).getFirstPropertyValue('dtstamp').compare(
                    first.getFirstPropertyValue('dtstamp')) > 0,
                `${change.where}: DTSTAMP not after the invitation's`);
      assert.equal(event.startDate.toUnixTime(), before.startDate.toUnixTime(), change.where);
      assert.equal(event.endDate.toUnixTime(), before.endDate.toUnixTime(), change.where);
      assert.equal(event.organizer, master.organizer, change.where);
      assert.equal(event.attendees.length, 1, `${change.where}: the recipient is the attendee`);
      assert.equal(only(change).getFirstPropertyValue('status'),
                   isUpdate ? 'CONFIRMED' : 'CANCELLED', change.where);
      ++pairs;
    }
  }
  assert.ok(pairs >= 2 * 3 * 2, `only ${pairs} updates and cancellations checked`);
});

test('the in-person workshops give each address as the location, and no link', () => {
  const workshops = calendars.filter((c) => c.where.startsWith('osallisuustyopajat-2026/') &&
                                            !c.where.includes('-cancellation-'));
  assert.ok(workshops.length > 0, 'no calendars of the workshop example');
  const towns = new Set();
  for (const calendar of workshops) {
    for (const vevent of events(calendar)) {
      const event = new ICAL.Event(vevent);
      assert.match(event.location, /, \d{5} (Haapavesi|Nivala|Raahe|Reisjärvi|Sievi|Utajärvi)$/,
                   calendar.where);
      towns.add(event.location.split(' ').pop());
      assert.equal(vevent.getFirstProperty('url'), null, `${calendar.where}: a URL`);
      assert.ok(!event.description.includes('https://'), `${calendar.where}: a link`);
      const alarms = vevent.getAllSubcomponents('valarm');
      assert.equal(alarms.length, 1, `${calendar.where}: ${alarms.length} alarms`);
      assert.equal(alarms[0].getFirstPropertyValue('action'), 'DISPLAY');
      assert.equal(alarms[0].getFirstPropertyValue('trigger').toSeconds(), -3600);
    }
  }
  assert.deepEqual([...towns].sort(),
                   ['Haapavesi', 'Nivala', 'Raahe', 'Reisjärvi', 'Sievi', 'Utajärvi']);
});

test('an online session keeps its join link one click away', () => {
  const online = calendars.filter((c) => c.where.startsWith('aluevaltuutetut-2022/'));
  assert.ok(online.length > 0);
  for (const calendar of online) {
    for (const vevent of events(calendar)) {
      const url = vevent.getFirstPropertyValue('url');
      assert.match(url, /^https:\/\//, calendar.where);
      if (!calendar.where.includes('-cancellation-')) {
        assert.ok(vevent.getFirstPropertyValue('description').includes(url),
                  `${calendar.where}: the description lacks ${url}`);
      }
    }
  }
});

test('each feed is named after its series and asks to be fetched again hourly', () => {
  assert.ok(Object.keys(gallery.feeds).length >= 2);
  for (const calendar of calendars.filter((c) => c.where.endsWith('/feed.ics'))) {
    const name = calendar.component.getFirstPropertyValue('name');
    assert.ok(name && name.length > 0, `${calendar.where}: no NAME`);
    assert.equal(calendar.component.getFirstPropertyValue('x-wr-calname'), name, calendar.where);
    const refresh = calendar.component.getFirstPropertyValue('refresh-interval');
    assert.equal(typeof refresh.toSeconds, 'function',
                 `${calendar.where}: REFRESH-INTERVAL is not read as a duration`);
    assert.equal(refresh.toSeconds(), 3600, calendar.where);
  }
});
