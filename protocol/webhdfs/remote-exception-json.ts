/**
 * WebHDFS's error body, JsonUtil.toJsonString(Exception): the class's
 * simple name, its full name (the Java client rethrows that class) and
 * the message.
 */
export function remoteExceptionJson(javaClassName: string, message: string): string {
  const exception = javaClassName.slice(Math.max(javaClassName.lastIndexOf('.'), javaClassName.lastIndexOf('$')) + 1);
  return JSON.stringify({ RemoteException: { exception, javaClassName, message } });
}
