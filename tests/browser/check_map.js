// Opens a vmnetlint map in headless chromium (puppeteer-core, the system
// browser) and checks it: every VM, bridge and finding of the report is in
// the DOM, nothing is logged as an error, nothing is fetched from the
// network, no script from the inputs runs, and a click in the summary
// table filters the picture. Prints "PASS ..." / "FAIL ..." lines for the
// shell test (tests/cli/html_browser.sh) to count.
//
// usage: node check_map.js MAP.html EXPECT.json [SCREENSHOT.png]
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [, , html, expectFile, shot] = process.argv;
const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));

function check(cond, desc, detail) {
  console.log((cond ? 'PASS ' : 'FAIL ') + desc + (cond || !detail ? '' : ' :: ' + detail));
}

function missing(want, have) {
  const set = new Set(have);
  return want.filter((x) => !set.has(x));
}

async function visible(page) {
  return page.$$eval('.vm', (bs) => bs.filter((b) => !b.classList.contains('gone') &&
    b.offsetParent !== null).map((b) => b.dataset.rules || ''));
}

async function clickFilters(page, total) {
  const rule = await page.$('[data-filter^="rule:"]');
  if (!rule) {
    check(expect.findings === 0, 'no rule to click only when there are no findings');
    return;
  }
  const id = (await page.evaluate((b) => b.dataset.filter, rule)).slice(5);
  await rule.click();
  const shown = await visible(page);
  const bad = shown.filter((r) => !r.split(' ').includes(id));
  check(shown.length > 0 && bad.length === 0,
    `clicking rule ${id} in the summary shows only the VMs it concerns (${shown.length} of ${total})`,
    JSON.stringify(bad.slice(0, 3)));
  const dimmed = await page.$$eval('.vm:not(.gone) .f', (fs, id) =>
    fs.filter((f) => f.dataset.rule !== id && !f.classList.contains('dim')).length, id);
  check(dimmed === 0, 'and dims the other rules\' findings in them');
  const vmButton = await page.$('[data-filter^="vm:"]');
  await vmButton.click();
  check((await visible(page)).length === 1, 'clicking a VM in the summary shows that one VM');
  await page.click('[data-filter="all"]');
  check((await visible(page)).length === total, '"Show everything" shows every VM again');
}

(async () => {
  const udd = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'vnl-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir: udd,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  const fetched = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', async (d) => { problems.push('dialog: ' + d.message()); await d.dismiss(); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) fetched.push(r.url()); });
    await page.setViewport({ width: 1100, height: 1400 });
    await page.goto('file://' + path.resolve(html), { waitUntil: 'load' });
    if (shot) await page.screenshot({ path: shot, fullPage: !!expect.full_page });
    const dom = await page.evaluate(() => ({
      vms: [...document.querySelectorAll('.vm .vh b')].map((b) => b.textContent),
      bridges: [...document.querySelectorAll('tr.br td:first-child')].map((t) => t.textContent),
      findings: document.querySelectorAll('.f').length,
      rules: [...new Set([...document.querySelectorAll('.f')].map((f) => f.dataset.rule))],
      messages: [...document.querySelectorAll('.f')].map((f) => f.textContent),
      pwned: window.__pwned || 0,
      scripts: document.scripts.length,
    }));
    let m = missing(expect.vms, dom.vms);
    check(m.length === 0, `every VM of the report is drawn (${expect.vms.length})`, m.join(', '));
    m = missing(expect.bridges, dom.bridges);
    check(m.length === 0, `every bridge the VMs use is listed (${expect.bridges.length})`, m.join(', '));
    check(dom.findings === expect.findings,
      `every finding is on the page (${expect.findings})`, `found ${dom.findings}`);
    m = missing(expect.rules, dom.rules);
    check(m.length === 0, 'with every rule of the report', m.join(', '));
    m = expect.messages.filter((t) => !dom.messages.some((d) => d.includes(t)));
    check(m.length === 0, 'with the same messages as the JSON report', m.slice(0, 2).join(' | '));
    await clickFilters(page, dom.vms.length);
    check(dom.pwned === 0 && dom.scripts === 1, 'no script from the inputs ran; the page has one script',
      `__pwned=${dom.pwned}, ${dom.scripts} scripts`);
    for (const t of expect.literal || []) {
      const has = await page.evaluate((t) => document.body.textContent.includes(t), t);
      check(has, `hostile text is shown as text: ${t}`);
    }
  } catch (e) {
    problems.push('check_map: ' + e.stack);
  } finally {
    await browser.close();
    fs.rmSync(udd, { recursive: true, force: true });
  }
  check(problems.length === 0, 'no console errors, page errors or dialogs', problems.join(' | '));
  check(fetched.length === 0, 'nothing is fetched from the network', fetched.join(' '));
})();
