/** A money value of the order data: the amount in minor units (fen, cents) and its currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** How many minor units a currency has (2 for CNY and USD, 0 for JPY), from the platform. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** The amount as a person writes it: 1250 CNY → "12.50", 1200 JPY → "1200". */
export const majorText = (money: Money | undefined): string =>
  money === undefined
    ? ''
    : (money.amount / 10 ** minorDigits(money.currency)).toFixed(minorDigits(money.currency));

/** The minor units of a written amount: "12.5" CNY → 1250; empty → undefined; not a number → NaN. */
export const minorUnits = (text: string, currency: string): number | undefined =>
  text.trim() === '' ? undefined : Math.round(Number(text) * 10 ** minorDigits(currency));

/** The money a written amount means in a currency (undefined when nothing is written). */
export function moneyOf(text: string, currency: string): Money | undefined {
  const amount = minorUnits(text, currency);
  return amount === undefined ? undefined : { amount, currency };
}
