// Test support for the node's packages and apps: a protocol-v1 gateway and a fixture site, both on loopback.
export { TestGateway, testJob } from './test-gateway.js';
export { TestSite } from './test-site.js';
