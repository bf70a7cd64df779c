import { describe, expect, it } from "vitest";
import {
  dateSortKey,
  dateSpan,
  formatDate,
  parseDate,
} from "../src/text/dates.ts";

describe("parseDate", () => {
  it("reads the seed format with its UTC offset", () => {
    expect(parseDate("07 September 2023 20:51 (UTC +04:00)")).toBe(
      "2023-09-07T20:51:00+04:00",
    );
  });

  it("reads ISO-8601 at every precision", () => {
    expect(parseDate("2023")).toBe("2023");
    expect(parseDate("2023-09")).toBe("2023-09");
    expect(parseDate("2023-09-07")).toBe("2023-09-07");
    expect(parseDate("2021-01-21T17:12:47-05:00")).toBe(
      "2021-01-21T17:12:47-05:00",
    );
    expect(parseDate("2022-06-24T17:30:00Z")).toBe("2022-06-24T17:30:00Z");
  });

  it("reads written dates in either order", () => {
    expect(parseDate("7 Sept 2023")).toBe("2023-09-07");
    expect(parseDate("September 7, 2023")).toBe("2023-09-07");
  });

  it("reads dates written in words in other languages", () => {
    for (const text of [
      "7 сентября 2023 года",
      "7 вересня 2023 року",
      "7 sentyabr 2023-cü il",
      "7 Eylül 2023",
      "7 سبتمبر 2023",
      "٧ أيلول ٢٠٢٣",
      "7 septembre 2023",
      "7 de septiembre de 2023",
      "Donnerstag, 7. September 2023",
      "jeudi 7 septembre 2023",
      "Thursday, 7th September 2023",
    ])
      expect([text, parseDate(text)]).toEqual([text, "2023-09-07"]);
  });

  it("reads numeric dates with the day first, and with the year first", () => {
    expect(parseDate("07.09.2023")).toBe("2023-09-07");
    expect(parseDate("7-9-2023")).toBe("2023-09-07");
    expect(parseDate("2023/9/7")).toBe("2023-09-07");
    expect(parseDate("2023年9月7日")).toBe("2023-09-07");
    expect(parseDate("２０２３年９月７日")).toBe("2023-09-07");
    expect(parseDate("2023년 9월 7일")).toBe("2023-09-07");
    expect(parseDate("2023年9月")).toBe("2023-09");
    expect(parseDate("сентябрь 2023")).toBe("2023-09");
  });

  it("reads a slashed date month first only in English, and not at all when it cannot tell", () => {
    expect(parseDate("07/09/2023", "en")).toBe("2023-07-09");
    expect(parseDate("07/09/2023", "fr")).toBe("2023-09-07");
    expect(parseDate("25/09/2023")).toBe("2023-09-25");
    expect(parseDate("07/09/2023")).toBeUndefined();
  });

  it("keeps the time and its zone as written", () => {
    expect(parseDate("7 Sep 2023 14:00 GMT")).toBe("2023-09-07T14:00:00Z");
    expect(parseDate("7 Sep 2023 14:00 UTC+4")).toBe(
      "2023-09-07T14:00:00+04:00",
    );
    expect(parseDate("07.09.2023 14:00 МСК")).toBe("2023-09-07T14:00:00+03:00");
    expect(parseDate("07.09.2023 14:00 MSK")).toBe("2023-09-07T14:00:00+03:00");
    expect(parseDate("September 7, 2023 2:30 p.m. EDT")).toBe(
      "2023-09-07T14:30:00-04:00",
    );
    expect(parseDate("jeudi 7 septembre 2023 à 14h30")).toBe(
      "2023-09-07T14:30:00",
    );
    expect(parseDate("2023-09-07 23:30 (UTC -05:00)")).toBe(
      "2023-09-07T23:30:00-05:00",
    );
  });

  it("refuses dates that do not exist or cannot be read", () => {
    expect(parseDate("31 February 2023 10:00 (UTC +04:00)")).toBeUndefined();
    expect(parseDate("2023-13-01")).toBeUndefined();
    expect(parseDate("yesterday")).toBeUndefined();
    expect(parseDate("7 Smarch 2023")).toBeUndefined();
    expect(parseDate("7 Sep 2023 14:00 (UTC +04:00")).toBeUndefined();
    expect(parseDate("07.09.23")).toBeUndefined();
    expect(parseDate("1 2 3 2023")).toBeUndefined();
  });
});

describe("dateSpan", () => {
  it("covers the whole year or month of a reduced-precision date", () => {
    expect(dateSpan("2024")).toEqual({
      first: "2024-01-01",
      last: "2024-12-31",
    });
    expect(dateSpan("2024-02")).toEqual({
      first: "2024-02-01",
      last: "2024-02-29",
    });
    expect(dateSpan("2023-09-07T23:30:00-05:00")).toEqual({
      first: "2023-09-07",
      last: "2023-09-07",
    });
  });
});

describe("dateSortKey and formatDate", () => {
  it("orders dates by day, then time", () => {
    expect(dateSortKey("2023-09-07T20:51:00+04:00")).toBeGreaterThan(
      dateSortKey("2023-09-07"),
    );
    expect(dateSortKey("2023-09-07")).toBeGreaterThan(dateSortKey("2023"));
  });

  it("writes the date as a person reads it", () => {
    expect(formatDate("2023-09-07T20:51:00+04:00")).toBe("7 September 2023");
    expect(formatDate("2023-09")).toBe("September 2023");
    expect(formatDate("2023")).toBe("2023");
  });
});
