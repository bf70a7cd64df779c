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

  it("refuses dates that do not exist or cannot be read", () => {
    expect(parseDate("31 February 2023 10:00 (UTC +04:00)")).toBeUndefined();
    expect(parseDate("2023-13-01")).toBeUndefined();
    expect(parseDate("yesterday")).toBeUndefined();
    expect(parseDate("7 Smarch 2023")).toBeUndefined();
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
