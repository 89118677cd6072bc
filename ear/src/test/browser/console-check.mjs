// Opens a resource adapter's page in WildFly's admin console (HAL) in headless Chromium, as an operator would,
// and prints what the console shows for each connection definition, one fact a line:
//
//   connection-definition KafkaStrings jndi-name java:/kafka/Strings
//   connection-definition KafkaStrings config-property keySerializer org.apache.kafka...StringSerializer
//
// Usage: CONSOLE_USER=u CONSOLE_PASSWORD=p node console-check.mjs <console url> <adapter name> <screenshot.png>
// CHROMIUM overrides the browser binary (default /usr/bin/chromium). Exits non-zero on any failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [consoleUrl, adapter, screenshot] = process.argv.slice(2);
if (!consoleUrl || !adapter || !screenshot || !process.env.CONSOLE_USER || !process.env.CONSOLE_PASSWORD) {
  console.error('usage: CONSOLE_USER=u CONSOLE_PASSWORD=p node console-check.mjs <console url> <adapter> <png>');
  process.exit(2);
}

const TIMEOUT_MS = 60_000;
const NAV = '#resource-adapter-connection-definition-item';
const TABLE = '#resource-adapter-connection-definition-table';
const FORM = 'resource-adapter-connection-definition-attributes-form';

const profile = mkdtempSync(join(tmpdir(), 'console-check-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // --no-sandbox: the build runs as root on CI, where Chromium's sandbox refuses to start.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.setViewport({ width: 1400, height: 1000 });
  // The management interface asks for HTTP Digest; the browser answers the challenge with these.
  await page.authenticate({ username: process.env.CONSOLE_USER, password: process.env.CONSOLE_PASSWORD });
  await page.goto(`${consoleUrl}#resource-adapter;name=${adapter}`, { waitUntil: 'networkidle0', timeout: TIMEOUT_MS });

  await page.click(`${NAV} a`);
  await page.waitForSelector(`${TABLE} td`);
  const names = await page.$$eval(`${TABLE} tbody td`, cells => cells.map(cell => cell.textContent.trim()));
  let previousJndiName = '';
  for (const name of names) {
    await page.click(`${TABLE} ::-p-text(${name})`);
    // The form below the table shows the selected row once HAL has read it from the management model; JNDI names
    // are unique, so a changed one means the form shows this row.
    await page.waitForFunction((table, form, row, previous) => {
      const selected = document.querySelector(`${table} tr.selected`);
      const jndiName = document.getElementById(`${form}-jndi-name-readonly`)?.textContent.trim();
      return selected?.textContent.trim() === row && jndiName && jndiName !== previous;
    }, {}, TABLE, FORM, name, previousJndiName);
    const shown = await page.evaluate(form => ({
      jndiName: document.getElementById(`${form}-jndi-name-readonly`).textContent.trim(),
      className: document.getElementById(`${form}-class-name-readonly`).textContent.trim(),
      configProperties: document.getElementById(`${form}-config-properties-readonly`).textContent,
    }), FORM);
    previousJndiName = shown.jndiName;
    console.log(`connection-definition ${name} jndi-name ${shown.jndiName}`);
    console.log(`connection-definition ${name} class-name ${shown.className}`);
    // HAL lists a property map as "key ⇒ value" lines.
    for (const line of shown.configProperties.split('\n').filter(l => l.trim() !== '')) {
      const [key, value] = line.split('⇒').map(part => part.trim());
      console.log(`connection-definition ${name} config-property ${key} ${value}`);
    }
  }
  await page.screenshot({ path: screenshot });
  console.log(`screenshot ${screenshot}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
