module.exports = {
  ...require('../../jest.base.js'),
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60000,
  // One Chromium at a time: the e2e files each start a server and a browser.
  maxWorkers: 1,
};
