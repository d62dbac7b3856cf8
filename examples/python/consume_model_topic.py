#!/usr/bin/env python3
"""Read an odoo-stream model topic from Python, and acknowledge a device's sync.

Reads Confluent-framed Avro change events with the schemas odoo-stream's registry serves (the
api's base URL is the registry URL), prints one JSON line per event, and commits its consumer
group's offsets only after printing, so a restart goes on where it stopped. With --ack-device it
then produces a `sync_updated` acknowledgement to the sync-acks topic, encoded with the schema the
registry documents for it, as the api does for `POST /api/webhooks/sync-state/update`.

Needs confluent-kafka and, for Avro, fastavro (pip) or Debian's python3-avro:
    apt-get install python3-confluent-kafka python3-avro
"""
import argparse
import io
import json
import struct
import sys
import time
import uuid
from datetime import datetime, timezone

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient

MAGIC_BYTE = 0


class AvroFrames:
    """The Confluent wire format: magic byte 0, 4-byte schema id, Avro binary."""

    def __init__(self, registry: SchemaRegistryClient):
        self.registry = registry
        self.readers = {}
        try:  # confluent-kafka's own deserializer, where fastavro is installed
            from confluent_kafka.schema_registry.avro import AvroDeserializer

            self.confluent = AvroDeserializer(registry)
        except ImportError:
            self.confluent = None

    def decode(self, data: bytes, ctx=None):
        if data is None:
            return None  # a tombstone: the unlink event came before it
        if self.confluent is not None:
            return self.confluent(data, ctx)
        import avro.io
        import avro.schema

        magic, schema_id = struct.unpack(">bI", data[:5])
        if magic != MAGIC_BYTE:
            raise ValueError("not in the Confluent wire format")
        reader = self.readers.get(schema_id)
        if reader is None:
            schema = avro.schema.parse(self.registry.get_schema(schema_id).schema_str)
            reader = self.readers[schema_id] = avro.io.DatumReader(schema)
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(data[5:])))

    def encode(self, subject: str, value: dict) -> bytes:
        import avro.io
        import avro.schema

        latest = self.registry.get_latest_version(subject)
        writer = avro.io.DatumWriter(avro.schema.parse(latest.schema.schema_str))
        out = io.BytesIO()
        out.write(struct.pack(">bI", MAGIC_BYTE, latest.schema_id))
        writer.write(value, avro.io.BinaryEncoder(out))
        return out.getvalue()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--registry", default="http://127.0.0.1:3000", help="odoo-stream api URL (its schema registry)")
    parser.add_argument("--topic", required=True, help="a model topic, e.g. odoo.mydb.sale.order")
    parser.add_argument("--group", required=True, help="this consumer's group id (its offsets)")
    parser.add_argument("--max-events", type=int, default=0, help="stop after this many events (0: run until Ctrl-C)")
    parser.add_argument("--idle-seconds", type=float, default=0, help="stop after this long without a new event (0: never)")
    parser.add_argument("--acks-topic", help="<prefix>.stream.sync-acks, for --ack-device")
    parser.add_argument("--ack-device", help="user_id/device_id whose sync to acknowledge at the end")
    parser.add_argument("--ack-last-event-id", type=int, help="the feed id (update.webhook id) the device has reached")
    args = parser.parse_args(argv)
    if args.ack_device and (not args.acks_topic or args.ack_last_event_id is None):
        parser.error("--ack-device needs --acks-topic and --ack-last-event-id")
    if args.ack_device and "/" not in args.ack_device:
        parser.error("--ack-device is user_id/device_id, e.g. 7/iPhone de Ali")
    return args


def consume(args, frames: AvroFrames) -> int:
    consumer = Consumer(
        {
            "bootstrap.servers": args.brokers,
            "group.id": args.group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,  # offsets move only after an event is handled
        }
    )
    consumer.subscribe([args.topic])
    seen = 0
    last_event = time.monotonic()
    try:
        while not args.max_events or seen < args.max_events:
            message = consumer.poll(0.5)
            if message is None:
                if args.idle_seconds and time.monotonic() - last_event > args.idle_seconds:
                    break
                continue
            if message.error():
                raise KafkaException(message.error())
            event = frames.decode(message.value())
            if event is not None:
                print(
                    json.dumps(
                        {
                            "topic": message.topic(),
                            "partition": message.partition(),
                            "offset": message.offset(),
                            "event": event,
                        },
                        default=str,
                    ),
                    flush=True,
                )
                seen += 1
            consumer.commit(message=message, asynchronous=False)
            last_event = time.monotonic()
    finally:
        consumer.close()
    return seen


def acknowledge(args, frames: AvroFrames, events_synced: int) -> None:
    user_id, device_id = args.ack_device.split("/", 1)
    value = {
        "type": "sync_updated",
        "ack_id": str(uuid.uuid4()),
        "user_id": int(user_id),
        "device_id": device_id,
        "at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "last_event_id": args.ack_last_event_id,
        "events_synced": events_synced,
        "app_type": None,
        "device_info": None,
        "app_version": None,
    }
    producer = Producer({"bootstrap.servers": args.brokers, "enable.idempotence": True})
    # The key keeps one device's acknowledgements in order, as the api keys them.
    producer.produce(
        args.acks_topic,
        key=f"{user_id}/{device_id}".encode(),
        value=frames.encode(f"{args.acks_topic}-value", value),
    )
    if producer.flush(30) != 0:
        raise RuntimeError("the acknowledgement was not written within 30 s")
    print(json.dumps({"acknowledged": args.ack_device, "last_event_id": args.ack_last_event_id}), flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    frames = AvroFrames(SchemaRegistryClient({"url": args.registry}))
    try:
        seen = consume(args, frames)
        if args.ack_device:
            acknowledge(args, frames, seen)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one clear line, not a traceback
        print(f"consume_model_topic: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
