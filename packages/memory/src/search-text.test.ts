import { describe, expect, it } from "vitest";
import { indexText, MAX_QUERY_TERMS, queryTerms, searchTerms } from "./search-text.js";

describe("search terms", () => {
  it("lower-cases, drops accents and splits on anything but letters and digits", () => {
    expect(searchTerms("Café-Crème déjà_vu v2.1 ÅSA")).toEqual([
      "cafe",
      "creme",
      "deja",
      "vu",
      "v2",
      "1",
      "asa",
    ]);
    expect(indexText("decision/db:Postgres")).toBe("decision db postgres");
  });

  it("keeps non-Latin letters and digits", () => {
    expect(searchTerms("東京 データ 42")).toEqual(["東京", "データ", "42"]);
    expect(searchTerms("Привет, мир")).toEqual(["привет", "мир"]);
  });

  it("turns query syntax into plain words and caps the number of distinct terms", () => {
    expect(queryTerms('"a" AND (b) OR c* NEAR/3 key:d^2 a')).toEqual([
      "a",
      "and",
      "b",
      "or",
      "c",
      "near",
      "3",
      "key",
      "d",
      "2",
    ]);
    const many = Array.from({ length: 50 }, (_, i) => `w${i}`).join(" ");
    expect(queryTerms(many)).toHaveLength(MAX_QUERY_TERMS);
    expect(queryTerms("  --- !!! ")).toEqual([]);
  });
});
