// A real S3-compatible server (s3rver) on loopback for the S3 storage tests.
//   node --openssl-legacy-provider s3-server.mjs DIRECTORY BUCKET
// (s3rver encrypts its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 has only in its legacy provider.)
// Prints one JSON line {"url": "..."} once it listens on a free port; runs until its stdin closes (the test
// process ending, however it ends) or it gets SIGTERM. Credentials are s3rver's own: S3RVER / S3RVER, and it
// checks every request's signature (signature version 4 included) with them.
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error("usage: node s3-server.mjs DIRECTORY BUCKET");
  process.exit(2);
}
const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
const { address, port } = await server.run();
console.log(JSON.stringify({ url: `http://${address}:${port}` }));

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
