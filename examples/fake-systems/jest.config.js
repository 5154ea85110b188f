module.exports = { ...require('../../jest.base.js'), testMatch: ['<rootDir>/test/**/*.test.ts'] };
