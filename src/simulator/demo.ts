import type { SimUserSeed } from './options.js'

/** The customer every demo account (and any seeded user without a customerId) belongs to. */
export const DEMO_CUSTOMER_ID = 'demoCustomer0000000000'

/**
 * The accounts seeded when no `users` are given. Documented in docs/simulator.md; fake credentials for
 * a fake API, safe to print.
 */
export const DEMO_ACCOUNTS: readonly Readonly<SimUserSeed>[] = Object.freeze([
  {
    id: 'demoUser00000000000001',
    email: 'demo@example.com',
    password: 'demo-password',
    role: 'user',
    customerId: DEMO_CUSTOMER_ID
  },
  {
    id: 'demoUser00000000000002',
    email: 'admin@example.com',
    password: 'admin-password',
    role: 'superuser',
    customerId: DEMO_CUSTOMER_ID
  },
  {
    id: 'demoUser00000000000003',
    email: '2fa@example.com',
    password: '2fa-password',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    role: 'user',
    customerId: DEMO_CUSTOMER_ID
  }
])
