/**
 * Echoes: the sources that published one text, and which of them published it first.
 */
import { dateSpan } from "../text/dates.ts";
import {
  earlier,
  type VersionGroup,
  type VersionMember,
} from "./version-index.ts";

/** One source's part in a group. */
export interface SourceEcho {
  source: string;
  /** The source's earliest statement in the group. */
  first: VersionMember;
  /** How many of the group's statements the source published. */
  count: number;
}

/** Who published a group's text, and who was first. */
export interface Echoes {
  /** Every named source, in the order of their earliest statement (undated last). */
  sources: SourceEcho[];
  /**
   * The source that published first, or several when the dates cannot tell them apart (the
   * same day without a time, or a date given only as a month or year); empty when the earliest
   * statement has no date. Statements without a source are not counted.
   */
  first: string[];
}

/** Whether more than one source published a group's text (its statements are echoes). */
export function isEchoed(group: VersionGroup): boolean {
  const first = group.members.find((m) => m.source)?.source;
  return group.members.some((m) => m.source && m.source !== first);
}

/** Tells the sources of a group and which published first. */
export function echoes(group: VersionGroup): Echoes {
  const bySource = new Map<string, SourceEcho>();
  for (const member of group.members) {
    if (!member.source) continue;
    const seen = bySource.get(member.source);
    if (seen) seen.count++;
    else
      bySource.set(member.source, {
        source: member.source,
        first: member,
        count: 1,
      });
  }
  const sources = [...bySource.values()].sort((a, b) =>
    earlier(a.first, b.first),
  );
  const lead = sources[0];
  if (!lead?.first.date) return { sources, first: [] };
  const [, leadEnd] = interval(lead.first.date);
  const first = sources
    .filter((s) => s.first.date && interval(s.first.date)[0] <= leadEnd)
    .map((s) => s.source);
  return { sources, first };
}

/** The earliest and latest instant a date may mean, in ms. */
function interval(iso: string): [number, number] {
  if (/T\d{2}:\d{2}/.test(iso)) {
    // Without an offset the time is taken as UTC: the best guess, and the same for every source.
    const at = Date.parse(
      /(?:Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`,
    );
    if (!Number.isNaN(at)) return [at, at];
  }
  const { first, last } = dateSpan(iso);
  return [
    Date.parse(`${first}T00:00:00Z`),
    Date.parse(`${last}T23:59:59.999Z`),
  ];
}
