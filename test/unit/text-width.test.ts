// displayWidth measures by string-width's rules without paying its start-up cost: it must give the
// same width for every text, including those its fast paths (ASCII, standalone code points, no
// emoji candidate) skip the costly parts for.

import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/format/text-width.js";

const TRICKY = [
  "",
  "plain ascii",
  "tab\tand\nnewline\r\n",
  "\u0000\u0007\u007f\u0085\u009f",
  "José Müller ÿ Œuvre ʃ ˈstress",
  "soft\u00adhyphen",
  "© ® ™ ‼ ⁉ ‰ ′ ″ … – — “quoted” • ‣",
  "line\u2028separator\u2029paragraph",
  "e\u0301 a\u0308\u0323 combining",
  "漢字 かな カナ ｶﾅ ﾞﾟｰ",
  "ｶﾞ ﾊﾟ",
  "한국어 \u1100\u1161\u11a8 \u1100\u1100\u1161 \ua960\ud7b0",
  "👍 👍🏽 🏳️‍🌈 👨‍👩‍👧‍👦 🇩🇪 🏴󠁧󠁢󠁥󠁮󠁧󠁿 #️⃣ 1⃣ ❤ ❤️ ☺ ☺️",
  "⌚ ⏩ ▶ ▶️ ⭐ 〰 〽️ ㊗",
  "\u200b\u200c\u200d\u2060\ufeff zero-width",
  "\u0600\u0661 Arabic prepend \u0915\u094d\u0937 Devanagari",
  "\u001b[31mred\u001b[39m and \u001b]8;;https://x\u0007link\u001b]8;;\u0007",
  "\ud800 lone \udc00 surrogates",
  "\u{1f9d1}\u200d\u{1f9b0} \u{1f3fb} alone",
  "Ａｂｃ fullwidth ￥",
];

/** Code points from every range the fast paths and the general path meet, mixed at random. */
const POOL = [
  [0x20, 0x7e],
  [0x00, 0x1f],
  [0x80, 0x2ff],
  [0x300, 0x36f],
  [0x1100, 0x11ff],
  [0x2000, 0x206f],
  [0x20d0, 0x20ff],
  [0x2190, 0x2bff],
  [0x3000, 0x30ff],
  [0xac00, 0xac20],
  [0xfe00, 0xfe0f],
  [0xff00, 0xffef],
  [0x1f1e6, 0x1f1ff],
  [0x1f300, 0x1f6ff],
  [0x1f900, 0x1f9ff],
] as const;

function randomText(seed: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const length = 1 + Math.floor(next() * 8);
  let text = "";
  for (let i = 0; i < length; i++) {
    const [low, high] = POOL[Math.floor(next() * POOL.length)] ?? [0x20, 0x7e];
    text += String.fromCodePoint(low + Math.floor(next() * (high - low + 1)));
  }
  return text;
}

describe("displayWidth equals string-width", () => {
  it.each(TRICKY)("%j", (text) => {
    expect(displayWidth(text)).toBe(stringWidth(text));
  });

  it("on 5,000 random mixes of ASCII, Latin, marks, jamo, CJK, punctuation, symbols and emoji", () => {
    const differing = [];
    for (let seed = 1; seed <= 5000; seed++) {
      const text = randomText(seed);
      if (displayWidth(text) !== stringWidth(text)) differing.push(text);
    }
    expect(differing).toEqual([]);
  });

  it("on every code point of the standalone ranges, alone and after a letter", () => {
    const differing = [];
    for (const [low, high] of [
      [0x00, 0x2ff],
      [0x2010, 0x2027],
      [0x2030, 0x205e],
    ] as const) {
      for (let c = low; c <= high; c++) {
        for (const text of [String.fromCodePoint(c), `a${String.fromCodePoint(c)}b`]) {
          if (displayWidth(text) !== stringWidth(text)) differing.push(text);
        }
      }
    }
    expect(differing).toEqual([]);
  });
});
