// OData v4 peer: CAP model in ./db and ./srv, in-memory SQLite seeded from db/data/*.csv on every start.
// Usage: node server.js PORT   (CDS_ENV=basic => basic auth required, users in package.json)
const cds = require('@sap/cds')
const express = require('express')
const port = Number(process.argv[2] || process.env.PORT || 4004)

;(async () => {
  const roots = ['db', 'srv']
  if (cds.env.requires.auth.kind === 'basic') roots.push('auth')
  const csn = await cds.load(roots.map(r => __dirname + '/' + r))
  await cds.connect.to('db')
  await cds.deploy(csn).to(cds.db)
  cds.model = cds.compile.for.nodejs(csn)
  const app = express()
  await cds.serve('all').from(cds.model).in(app)
  app.listen(port, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${port}/odata/v4/cases`))
})().catch(e => { console.error(e); process.exit(1) })
