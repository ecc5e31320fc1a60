/**
 * Whether this Node version honours `listen({ reusePort })`: 22.12+ or 23.1+ (older ones ignore it).
 *
 * @param version `process.versions.node`, such as `"22.12.0"`.
 */
export function supportsReusePort(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}
