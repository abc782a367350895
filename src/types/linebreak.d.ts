// linebreak ships no types; the part kq uses: iterate the break opportunities of a string.
declare module 'linebreak' {
  export interface Break {
    /** The UTF-16 index the break comes before; the last break is the string's length. */
    position: number;
    /** A mandatory break (a newline), not just an opportunity. */
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
