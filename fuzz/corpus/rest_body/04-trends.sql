CREATE TABLE pizza_source (
    id INT, 
    shop VARCHAR, 
    name VARCHAR, 
    phoneNumber VARCHAR, 
    address VARCHAR, 
    pizzas ARRAY <ROW (pizzaName VARCHAR, additionalToppings ARRAY <VARCHAR>)>, orderTimestamp TIMESTAMP(3) METADATA FROM 'timestamp', orderProctime AS PROCTIME(), WATERMARK FOR orderTimestamp AS orderTimestamp - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'properties.bootstrap.servers' = '',
    'scan.startup.mode' = 'earliest-offset',
    'topic' = 'pizzas',
    'value.format' = 'json'
);
CREATE TABLE pizza_orders_trend (
    topping VARCHAR, 
    trend_start TIMESTAMP(3), 
    trend_detail VARCHAR, 
    PRIMARY KEY(topping, trend_start) NOT ENFORCED
) WITH (
   'connector' = 'upsert-kafka',
   'properties.bootstrap.servers' = 'pizza_stream_out_trends',
   'topic' = 'pizza_stream_out_trends',
   'value.format' = 'json',
   'key.format' = 'json'
);
insert into pizza_orders_trend
        with raw_data as (
            select orderTimestamp,
                id,
                c.topping
            from pizza_source
                cross join UNNEST(pizzas) b
                cross join UNNEST(b.additionalToppings) as c(topping)
            )
        , windowing as
            (SELECT window_time,
                window_start,
                window_end,
                topping,
                count(*) nr_orders
            FROM TABLE(TUMBLE(TABLE raw_data, DESCRIPTOR(orderTimestamp), interval '1' seconds))
            where topping in ('🍍 pineapple', '🍓 strawberry','🍌 banana')
            group by window_time,
                topping,
                window_start,
                window_end)
        select * from windowing
        MATCH_RECOGNIZE (
            PARTITION BY topping
            ORDER BY window_time
            MEASURES
                START_ROW.window_time as start_tstamp,
                LISTAGG(cast(nr_orders as string)) as various_nr_orders
            ONE ROW PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN (START_ROW NR_UP NR_DOWN)
            DEFINE
                NR_UP AS
                     NR_UP.nr_orders > START_ROW.nr_orders,
                NR_DOWN AS
                    (NR_UP.nr_orders - NR_DOWN.nr_orders)*100.0/NR_UP.nr_orders > 30
            );
