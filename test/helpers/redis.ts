/** A redis-server of a test's own: the benches' (see bench/lib/redis.ts). */
export {freePort, selfSignedCertificate, startRedis, type Certificate, type RedisServer} from '../../bench/lib/redis.js';
