// Every e-mail fits a phone: each HTML part that notifier_render_gallery
// makes (every template × language × bundled example, gallery.mjs) is laid
// out by Debian's headless Chromium at 320 px, the narrowest phone screen in
// use, and at 1280 px, and the page must not scroll sideways:
// document.documentElement.scrollWidth <= innerWidth. A failure names the
// message and the elements that stick out. Screenshots of each example's
// invitation at 320 px land in KUTSU_ARTIFACTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {env, renderGallery} from './gallery.mjs';

// playwright-core is installed by `npm ci` in tests/admin/browser's build tree.
const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const {chromium} = require('playwright-core');

const PHONE = {viewport: {width: 320, height: 640}, deviceScaleFactor: 2, isMobile: true,
               hasTouch: true};
const DESKTOP = {viewport: {width: 1280, height: 900}};

let browser;
let gallery;

before(async () => {
  gallery = await renderGallery();
  browser = await chromium.launch({executablePath: env('CHROMIUM')});
});

after(async () => {
  await browser?.close();
});

// What sticks out past the right edge, for the failure message.
function overflow() {
  const width = window.innerWidth;
  const out = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 0.5) {
      out.push(`<${element.tagName.toLowerCase()}> right=${Math.round(box.right)}: ` +
               element.textContent.trim().slice(0, 60));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          outside: out.slice(0, 8)};
}

async function measure(device, label) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  const problems = [];
  try {
    assert.ok(gallery.mails.length > 0, 'the gallery rendered no e-mails');
    for (const mail of gallery.mails) {
      assert.ok(mail.html, `${mail.series}/${mail.name} has no text/html part`);
      await page.setContent(mail.html, {waitUntil: 'load'});
      const seen = await page.evaluate(overflow);
      // A phone lays a page without <meta name="viewport"> out 980 px wide,
      // and one wider than the screen as wide as it is, and shrinks it to
      // fit: the text turns tiny. So the layout must be the screen's width.
      if (seen.innerWidth !== device.viewport.width) {
        problems.push(`${mail.series}/${mail.name}: laid out ${seen.innerWidth} px wide on a ` +
                      `${device.viewport.width} px screen, zoomed out to fit\n    ` +
                      seen.outside.join('\n    '));
      } else if (seen.scrollWidth > seen.innerWidth) {
        problems.push(`${mail.series}/${mail.name}: ${seen.scrollWidth} px wide on a ` +
                      `${seen.innerWidth} px screen\n    ${seen.outside.join('\n    ')}`);
      }
      if (label === 'phone' && mail.name.endsWith('-invitation.eml')) {
        const dir = env('KUTSU_ARTIFACTS');
        fs.mkdirSync(dir, {recursive: true});
        await page.screenshot({path: path.join(dir, `${mail.series}-${mail.name}.png`),
                               fullPage: true});
      }
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], `${problems.length} e-mails scroll sideways:\n` +
                                 problems.join('\n'));
}

test('every e-mail fits a 320 px phone without scrolling sideways', async () => {
  await measure(PHONE, 'phone');
});

test('every e-mail fits a 1280 px desktop without scrolling sideways', async () => {
  await measure(DESKTOP, 'desktop');
});

test('the gallery covers every kind and language of every example', () => {
  for (const series of new Set(gallery.mails.map((mail) => mail.series))) {
    for (const lang of ['fi', 'sv', 'en']) {
      for (const kind of ['invitation', 'reminder', 'update', 'cancellation']) {
        assert.ok(gallery.mails.some((mail) => mail.series === series &&
                                               mail.name.startsWith(`${lang}-${kind}`)),
                  `${series}: no ${lang} ${kind}`);
      }
    }
  }
});
