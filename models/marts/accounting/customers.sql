-- One row per Scoro contact that is a client or that a sales document names; deleted contacts kept (hg_deleted).
with

contacts as (
    select * from {{ ref('stg_scoro__contacts') }}
),

contact_addresses as (
    select * from {{ ref('stg_scoro__contact_addresses') }}
),

means_of_contact as (
    select * from {{ ref('stg_scoro__contact_means_of_contact') }}
),

contact_custom_fields as (
    select * from {{ ref('stg_scoro__contact_custom_fields') }}
),

custom_fields as (
    select * from {{ ref('stg_scoro__custom_fields') }}
),

client_profiles as (
    select * from {{ ref('stg_scoro__client_profiles') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

prepayments as (
    select * from {{ ref('stg_scoro__prepayments') }}
),

projects as (
    select * from {{ ref('stg_scoro__projects') }}
),

-- The customer every invoice, credit invoice, prepayment and project names (any contact, client or
-- not, deleted or not), with the name the document gives it.
document_customers as (
    select
        tenant_id,
        coalesce(company_id, person_id) as contact_id,
        coalesce(company_name, person_name) as customer_name
    from invoices
    union all
    select
        tenant_id,
        coalesce(company_id, person_id) as contact_id,
        coalesce(company_name, person_name) as customer_name
    from prepayments
    union all
    select
        tenant_id,
        company_id as contact_id,
        company_name as customer_name
    from projects
),

named_customers as (
    select
        tenant_id,
        contact_id,
        max(customer_name) as customer_name
    from document_customers
    where contact_id is not null and contact_id > 0
    group by tenant_id, contact_id
),

-- Every client, and every contact a document names as its customer, deleted ones included: a
-- customer deleted in Scoro keeps what its documents still owe, so no open AR drops out.
clients as (
    select
        contacts.tenant_id,
        contacts.contact_id,
        contacts.comments,
        contacts.manager_id,
        contacts.lastname,
        contacts.name,
        contacts.contact_type,
        contacts.client_profile_id,
        contacts.created_date,
        contacts.modified_date,
        contacts.vatno,
        contacts.id_code,
        contacts.is_supplier,
        contacts.is_deleted,
        coalesce(
            contacts.search_name,
            trim({{ dbt.concat(["contacts.name", "' '", "coalesce(contacts.lastname, '')"]) }})
        ) as display_name
    from contacts
    where
        contacts.is_client
        or exists (
            select 1
            from named_customers
            where
                named_customers.tenant_id = contacts.tenant_id
                and named_customers.contact_id = contacts.contact_id
        )

    union all

    -- a customer a document names that the mirror never saw (deleted in Scoro before the first
    -- sync): a row from the document, flagged deleted
    select
        named_customers.tenant_id,
        named_customers.contact_id,
        cast(null as {{ dbt.type_string() }}) as comments,
        cast(null as {{ dbt.type_bigint() }}) as manager_id,
        cast(null as {{ dbt.type_string() }}) as lastname,
        named_customers.customer_name as name,
        cast(null as {{ dbt.type_string() }}) as contact_type,
        cast(null as {{ dbt.type_bigint() }}) as client_profile_id,
        cast(null as {{ dbt.type_timestamp() }}) as created_date,
        cast(null as {{ dbt.type_timestamp() }}) as modified_date,
        cast(null as {{ dbt.type_string() }}) as vatno,
        cast(null as {{ dbt.type_string() }}) as id_code,
        cast(null as {{ dbt.type_boolean() }}) as is_supplier,
        true as is_deleted,
        named_customers.customer_name as display_name
    from named_customers
    where not exists (
        select 1
        from contacts
        where
            contacts.tenant_id = named_customers.tenant_id
            and contacts.contact_id = named_customers.contact_id
    )
),

address_lists as (
    select
        tenant_id,
        contact_id,
        {{ unified_list_agg(unified_struct({
            'city': 'city',
            'country': 'country',
            'id': dbt.concat([
                'cast(contact_id as ' ~ dbt.type_string() ~ ')', "'-'", 'cast(list_index as ' ~ dbt.type_string() ~ ')'
            ]),
            'line1': 'street',
            'line2': 'case when municipality <> city then municipality end',
            'line3': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'postalCode': 'zipcode',
            'state': 'county',
        }), 'list_index') }} as addresses
    from contact_addresses
    group by tenant_id, contact_id
),

phone_lists as (
    select
        tenant_id,
        contact_id,
        {{ unified_list_agg(unified_struct({
            'number': 'value',
            'type': 'lower(type)',
        }), 'list_index') }} as phone_numbers
    from means_of_contact
    where lower(type) in ('phone', 'mobile', 'tel', 'gsm', 'fax')
    group by tenant_id, contact_id
),

-- The first e-mail address and the first website of each contact.
first_means as (
    select
        tenant_id,
        contact_id,
        max(case when lower(type) = 'email' and rank_in_type = 1 then value end) as email_address,
        max(case when lower(type) in ('website', 'www', 'url') and rank_in_type = 1 then value end) as website
    from (
        select
            tenant_id,
            contact_id,
            type,
            value,
            row_number() over (
                partition by tenant_id, contact_id, lower(type)
                order by list_index
            ) as rank_in_type
        from means_of_contact
    ) as ranked
    group by tenant_id, contact_id
),

named_custom_fields as (
    select
        contact_custom_fields.tenant_id,
        contact_custom_fields.contact_id,
        contact_custom_fields.id as custom_field_id,
        coalesce(contact_custom_fields.name, custom_fields.name, contact_custom_fields.id) as custom_field_name,
        contact_custom_fields.value as custom_field_value
    from contact_custom_fields
    left join custom_fields
        on
            contact_custom_fields.tenant_id = custom_fields.tenant_id
            and contact_custom_fields.id = custom_fields.id
),

custom_field_lists as (
    select
        tenant_id,
        contact_id,
        {{ unified_list_agg(unified_struct({
            'name': 'custom_field_name',
            'value': 'custom_field_value',
        }), 'custom_field_id') }} as custom_fields
    from named_custom_fields
    group by tenant_id, contact_id
),

-- Open accounts receivable per customer, in the base currency, from the open-item allocation model:
-- Σ of its invoices' and credit invoices' open amounts (what Accounts Receivable carries for them),
-- as of its latest document or settlement.
receivables as (
    select
        tenant_id,
        customer_id,
        sum(open_amount_base) as balance,
        max(
            case
                when last_allocation_date > document_date then last_allocation_date else document_date
            end
        ) as balance_date
    from open_items
    where open_item_side = 'receivable' and customer_id is not null
    group by tenant_id, customer_id
),

final as (
    select
        cast(clients.contact_id as {{ dbt.type_string() }}) as id,
        cast(clients.comments as {{ dbt.type_string() }}) as notes,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(not clients.is_deleted as {{ dbt.type_boolean() }}) as active,
        cast(null as {{ dbt.type_string() }}) as suffix,
        cast(coalesce(receivables.balance, 0) as {{ accounting_base_money_type() }}) as balance,
        cast(clients.manager_id as {{ dbt.type_string() }}) as "ownerId",
        cast(vat_codes.vat_code as {{ dbt.type_string() }}) as "taxCode",
        cast(vat_codes.percent > 0 as {{ dbt.type_boolean() }}) as taxable,
        cast(first_means.website as {{ dbt.type_string() }}) as website,
        cast(upper(client_profiles.currency) as {{ dbt.type_string() }}) as currency,
        cast(case when lower(clients.contact_type) = 'person' then clients.lastname end as {{ dbt.type_string() }})
            as "lastName",
        {{ unified_empty_list('address_lists.addresses') }} as addresses,
        cast(null as {{ dbt.type_string() }}) as "checkName",
        {{ unified_iso_timestamp('clients.created_date') }} as "createdAt",
        cast(case when lower(clients.contact_type) = 'person' then clients.name end as {{ dbt.type_string() }})
            as "firstName",
        case
            when client_profiles.deadline_days is not null
                then {{ dbt.concat(["'Net '", 'cast(client_profiles.deadline_days as ' ~ dbt.type_string() ~ ')']) }}
        end as "salesTerm",
        cast(clients.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('clients.modified_date') }} as "updatedAt",
        cast(null as {{ dbt.type_string() }}) as "middleName",
        cast(null as {{ dbt.type_string() }}) as subsidiary,
        {{ unified_iso_date('receivables.balance_date') }} as "balanceDate",
        cast(
            case
                when lower(clients.contact_type) = 'person' then clients.display_name
            end
            as {{ dbt.type_string() }}
        ) as "contactName",
        {{ unified_empty_list('custom_field_lists.custom_fields') }} as "customFields",
        cast(clients.display_name as {{ dbt.type_string() }}) as "customerName",
        cast(
            case lower(clients.contact_type) when 'person' then 'Person' when 'company' then 'Company' end
            as {{ dbt.type_string() }}
        ) as "customerType",
        cast(first_means.email_address as {{ dbt.type_string() }}) as "emailAddress",
        {{ unified_empty_list('phone_lists.phone_numbers') }} as "phoneNumbers",
        cast(client_profiles.payment_type as {{ dbt.type_string() }}) as "paymentMethod",
        {{ unified_typed_null('struct("id" varchar, "name" varchar)') }} as "parentReference",
        -- beyond the documented properties
        cast(clients.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(clients.vatno as {{ dbt.type_string() }}) as "taxNumber",
        cast(clients.id_code as {{ dbt.type_string() }}) as "registrationNumber",
        cast(clients.is_supplier as {{ dbt.type_boolean() }}) as "isSupplier"
    from clients
    left join client_profiles
        on
            clients.tenant_id = client_profiles.tenant_id
            and clients.client_profile_id = client_profiles.id
    left join vat_codes
        on
            client_profiles.tenant_id = vat_codes.tenant_id
            and client_profiles.vat_code_id = vat_codes.vat_code_id
    left join address_lists
        on
            clients.tenant_id = address_lists.tenant_id
            and clients.contact_id = address_lists.contact_id
    left join phone_lists
        on
            clients.tenant_id = phone_lists.tenant_id
            and clients.contact_id = phone_lists.contact_id
    left join first_means
        on
            clients.tenant_id = first_means.tenant_id
            and clients.contact_id = first_means.contact_id
    left join custom_field_lists
        on
            clients.tenant_id = custom_field_lists.tenant_id
            and clients.contact_id = custom_field_lists.contact_id
    left join receivables
        on
            clients.tenant_id = receivables.tenant_id
            and clients.contact_id = receivables.customer_id
)

select * from final
