import { majorText, minorDigits, minorUnits, moneyOf } from '../src/model/money';

describe('money as a person writes it', () => {
  it('knows the minor units of a currency', () => {
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(minorDigits('???')).toBe(2);
  });

  it('writes and reads amounts in major units', () => {
    expect(majorText({ amount: 1250, currency: 'CNY' })).toBe('12.50');
    expect(majorText({ amount: 1200, currency: 'JPY' })).toBe('1200');
    expect(majorText(undefined)).toBe('');
    expect(minorUnits('12.5', 'CNY')).toBe(1250);
    expect(minorUnits('0.1', 'USD')).toBe(10);
    expect(minorUnits('1200', 'JPY')).toBe(1200);
    expect(minorUnits(' ', 'CNY')).toBeUndefined();
    expect(minorUnits('twelve', 'CNY')).toBeNaN();
    expect(moneyOf('12.5', 'CNY')).toEqual({ amount: 1250, currency: 'CNY' });
    expect(moneyOf('', 'CNY')).toBeUndefined();
  });
});
