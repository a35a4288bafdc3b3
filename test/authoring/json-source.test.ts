import { describe, expect, it } from 'vitest';
import { jsonPlace, parseJsonText } from '../../src/authoring/json-source.js';
import { TemplateFileError } from '../../src/authoring/template-errors.js';

const FILE = '/folder/locales/it/messages.json';

/** The message a syntax error in `text` gets, place first. */
function mistake(text: string): string {
  try {
    parseJsonText(FILE, text);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateFileError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
}

describe('reading a JSON file', () => {
  it('names each syntax mistake at its line and column, in plain words', () => {
    expect(mistake('{\n  "a": 1,\n}')).toBe(`${FILE}:2:9: a comma after the last entry; JSON allows none, remove it`);
    expect(mistake('["a",]')).toBe(`${FILE}:1:5: a comma after the last item; JSON allows none, remove it`);
    expect(mistake('{\n  "a": "x"\n  "b": "y"\n}')).toBe(`${FILE}:2:11: a comma is missing after the value of "a"`);
    expect(mistake('{"a": "x" ]')).toBe(`${FILE}:1:11: a comma or } should follow the value of "a", not "]"`);
    expect(mistake('{"a": ')).toBe(`${FILE}:1:7: the file ends where a value should be`);
    expect(mistake('{"a": "x"')).toBe(`${FILE}:1:10: the file ends inside an object: a } is missing`);
    expect(mistake('{"a": "x\ny"}')).toBe(
      `${FILE}:1:7: this text runs past the end of its line: close it with ", or write a line break as \\n`,
    );
    expect(mistake('{a: 1}')).toBe(`${FILE}:1:2: the key a needs double quotes: "a"`);
    expect(mistake("{'a': 1}")).toBe(`${FILE}:1:2: a key takes double quotes ("…"), not single ones`);
    expect(mistake('{"a": yes}')).toBe(`${FILE}:1:7: yes is not a JSON value; text takes double quotes: "yes"`);
    expect(mistake('{"a": "\\q"}')).toBe(`${FILE}:1:8: \\q is not an escape JSON knows; write a backslash as \\\\`);
    expect(mistake('// note\n{}')).toBe(`${FILE}:1:1: JSON has no comments; remove it`);
    expect(mistake('{} {}')).toBe(
      `${FILE}:1:4: "{" after the end of the JSON value; remove it, or look for a } or ] closed too early`,
    );
  });

  it('keeps the position off the message and the problem on the error', () => {
    try {
      parseJsonText(FILE, '{"a": 1,}');
    } catch (error) {
      expect((error as TemplateFileError).problems).toEqual([
        { file: FILE, line: 1, column: 8, message: 'a comma after the last entry; JSON allows none, remove it' },
      ]);
      expect((error as Error).message).not.toMatch(/position/);
    }
  });

  it('parses what JSON.parse parses, and says where each value starts', () => {
    const text = '{\n  "signUp": {\n    "sms": "Ciao {code}"\n  },\n  "list": [1, {"x": true}]\n}';
    const json = parseJsonText(FILE, text);
    expect(json.value).toEqual(JSON.parse(text));
    expect(jsonPlace(json, 'signUp.sms')).toEqual({ file: FILE, line: 3, column: 12 });
    expect(jsonPlace(json, 'list.1.x')).toEqual({ file: FILE, line: 5, column: 21 });
    // A path the file lacks falls back to its nearest parent.
    expect(jsonPlace(json, 'signUp.subject')).toEqual({ file: FILE, line: 2, column: 13 });
    expect(jsonPlace(json, 'nothing')).toEqual({ file: FILE, line: 1, column: 1 });
  });
});
