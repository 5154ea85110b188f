module.exports = {
  ...require('../../jest.base.js'),
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60000,
};
