-- materialized: view
with source as (
    select * from {{ source('core', 'collective_economy') }}
),

final as (
    select
        submission_id,
        county_code,
        period,
        village,
        is_poor_village,
        industry,
        area_mu,
        investment_yuan,
        income_min_yuan,
        income_max_yuan,
        year,
        -- An income band stands for its midpoint; an open band (5万元以上, 不足2万元) for its bound.
        case
            when income_min_yuan is not null and income_max_yuan is not null
                then (income_min_yuan + income_max_yuan) / 2
            else coalesce(income_min_yuan, income_max_yuan)
        end::double as income_midpoint_yuan,
        -- A band counts by its lower bound; 不足… has none, i.e. 0.
        coalesce(income_min_yuan, 0) >= 50000 as income_ge_50k,
        -- 5万元以上 has no upper bound but certainly has income.
        coalesce(income_max_yuan, income_min_yuan, 0) > 0 as has_income,
        source_sheet,
        source_row
    from source
)

select * from final
