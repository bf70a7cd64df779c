/**
 * Whether `host` (a name or an address, without a port; IPv6 with or without brackets) is
 * this computer: `localhost` and its subdomains, 127.0.0.0/8, `::1`. One test for where the
 * server may listen without sign-in and for which Host headers it answers.
 */
export function isLoopback(host: string): boolean {
  return /^(?:localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i.test(
    host,
  );
}
