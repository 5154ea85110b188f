/** A small drug catalogue as CSV: code, name, restricted, maxQty, expires. */
export const drugs = (rows: string[][]) =>
  [['code', 'name', 'restricted', 'maxQty', 'expires'], ...rows].map((r) => r.join(',')).join('\n');
/** Three drugs, one restricted, one without a maximum quantity. */
export const V1 = drugs([
  ['A100', 'Amoxicillin', 'no', '50', '2027-01-31'],
  ['R200', 'Ketamine', 'yes', '5', '2027-06-30'],
  ['C300', 'Cetirizine', 'no', '', '2028-01-01'],
]);
