import { type NamedOrder } from '../../components/use-names';
import { orderName } from '../../model/order-names';

/** An order named by its reference, opening its flow's order list on it. */
export function OrderLink({ id, order }: { id: string; order?: NamedOrder }) {
  const name = orderName(order ?? { id });
  return order ? (
    <a
      href={`#/orders?flow=${order.flow}&q=${encodeURIComponent(order.externalRef ?? id)}`}
      title={id}
    >
      {name}
    </a>
  ) : (
    <span className="mono" title={id}>
      {name}
    </span>
  );
}
