import {
  DATA_SET_KEY,
  csvHeader,
  defaultKeyColumn,
  fileHeader,
  formatOf,
  jsonHeader,
} from '../src/model/dataset-file';

describe('data set files', () => {
  it('tells the format from the name', () => {
    expect(formatOf('Codes.XLSX')).toBe('xlsx');
    expect(formatOf('codes.json')).toBe('json');
    expect(formatOf('codes.csv')).toBe('csv');
    expect(formatOf('codes.txt')).toBe('csv');
  });

  it("reads a CSV's header: quotes, doubled quotes, a BOM, CRLF", () => {
    expect(csvHeader('\uFEFFcode, name ,"max, qty"\r\nA1,x,1\r\n')).toEqual([
      'code',
      'name',
      'max, qty',
    ]);
    expect(csvHeader('"say ""hi""",b\n1,2')).toEqual(['say "hi"', 'b']);
    expect(csvHeader('"two\nlines",b\n')).toEqual(['two\nlines', 'b']);
    expect(csvHeader('')).toEqual([]);
  });

  it("reads a JSON array's keys in the order they first appear", () => {
    expect(jsonHeader('[{"code":"A1","bin":"B"},{"code":"A2","qty":3}]')).toEqual([
      'code',
      'bin',
      'qty',
    ]);
    expect(jsonHeader('{"code":"A1"}')).toEqual([]);
    expect(jsonHeader('[{"code":')).toEqual([]);
    expect(jsonHeader('[1, null, ["x"], {"k": 1}]')).toEqual(['k']);
  });

  it('knows no header of an Excel file before the server reads it', () => {
    expect(fileHeader('xlsx', 'UEsDBBQ=')).toEqual([]);
    expect(fileHeader('csv', 'a,b\n')).toEqual(['a', 'b']);
  });

  it('offers the current key column when the file has it, else the first column', () => {
    expect(defaultKeyColumn(['name', 'code'], 'code')).toBe('code');
    expect(defaultKeyColumn(['sku', 'bin'], 'code')).toBe('sku');
    expect(defaultKeyColumn(['sku', 'bin'])).toBe('sku');
    expect(defaultKeyColumn([], 'code')).toBe('code');
    expect(defaultKeyColumn([])).toBeUndefined();
  });

  it('takes the keys the server takes', () => {
    expect(['drug-codes', 'a', '0-x', 'a'.repeat(64)].every((k) => DATA_SET_KEY.test(k))).toBe(
      true,
    );
    expect(['', '-a', 'Drug', 'a_b', 'a'.repeat(65), 'a/b'].some((k) => DATA_SET_KEY.test(k))).toBe(
      false,
    );
  });
});
