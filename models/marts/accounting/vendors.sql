-- One row per Scoro contact that is a supplier or that a bill names, deleted contacts kept with hg_deleted = true.
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

client_profiles as (
    select * from {{ ref('stg_scoro__client_profiles') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

bills as (
    select * from {{ ref('stg_scoro__bills') }}
),

-- The vendor every bill names (any contact, supplier or not, deleted or not), with the bill's name for it.
named_vendors as (
    select
        tenant_id,
        coalesce(company_id, person_id) as contact_id,
        max(coalesce(company_name, person_name)) as vendor_name
    from bills
    where coalesce(company_id, person_id) > 0
    group by tenant_id, coalesce(company_id, person_id)
),

-- Every supplier, and every contact a bill names, deleted ones included: a vendor deleted in Scoro
-- keeps what its bills still owe, so no open AP drops out.
suppliers as (
    select
        contacts.tenant_id,
        contacts.contact_id,
        contacts.search_name,
        contacts.name,
        contacts.lastname,
        contacts.contact_type,
        contacts.client_profile_id,
        contacts.created_date,
        contacts.modified_date,
        contacts.id_code,
        contacts.vatno,
        contacts.cat_name,
        contacts.bankaccount,
        contacts.is_client,
        contacts.is_deleted
    from contacts
    where
        contacts.is_supplier
        or exists (
            select 1
            from named_vendors
            where
                named_vendors.tenant_id = contacts.tenant_id
                and named_vendors.contact_id = contacts.contact_id
        )

    union all

    -- a vendor a bill names that the mirror never saw (deleted in Scoro before the first sync): a
    -- row from the bill, flagged deleted
    select
        named_vendors.tenant_id,
        named_vendors.contact_id,
        named_vendors.vendor_name as search_name,
        named_vendors.vendor_name as name,
        cast(null as {{ dbt.type_string() }}) as lastname,
        cast(null as {{ dbt.type_string() }}) as contact_type,
        cast(null as {{ dbt.type_bigint() }}) as client_profile_id,
        cast(null as {{ dbt.type_timestamp() }}) as created_date,
        cast(null as {{ dbt.type_timestamp() }}) as modified_date,
        cast(null as {{ dbt.type_string() }}) as id_code,
        cast(null as {{ dbt.type_string() }}) as vatno,
        cast(null as {{ dbt.type_string() }}) as cat_name,
        cast(null as {{ dbt.type_string() }}) as bankaccount,
        cast(null as {{ dbt.type_boolean() }}) as is_client,
        true as is_deleted
    from named_vendors
    where not exists (
        select 1
        from contacts
        where
            contacts.tenant_id = named_vendors.tenant_id
            and contacts.contact_id = named_vendors.contact_id
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
            'vendorNumber': 'cast(null as ' ~ dbt.type_string() ~ ')',
        }), 'list_index') }} as phone_numbers
    from means_of_contact
    where lower(type) in ('phone', 'mobile', 'tel', 'gsm', 'fax')
    group by tenant_id, contact_id
),

-- The first e-mail address of each contact.
first_emails as (
    select
        tenant_id,
        contact_id,
        value as email_address
    from (
        select
            tenant_id,
            contact_id,
            value,
            row_number() over (partition by tenant_id, contact_id order by list_index) as email_rank
        from means_of_contact
        where lower(type) = 'email'
    ) as ranked
    where email_rank = 1
),

-- Open accounts payable per vendor, in the base currency, from the open-item allocation model: Σ of
-- its bills' open amounts (what Accounts Payable carries for them).
payables as (
    select
        tenant_id,
        vendor_id,
        sum(open_amount_base) as balance
    from open_items
    where open_item_side = 'payable' and vendor_id is not null
    group by tenant_id, vendor_id
),

vendor_details as (
    select
        suppliers.*,
        coalesce(
            suppliers.search_name,
            trim({{ dbt.concat(["suppliers.name", "' '", "coalesce(suppliers.lastname, '')"]) }})
        ) as vendor_name,
        upper(client_profiles.currency) as profile_currency,
        client_profiles.deadline_days
    from suppliers
    left join client_profiles
        on
            suppliers.tenant_id = client_profiles.tenant_id
            and suppliers.client_profile_id = client_profiles.id
),

final as (
    select
        cast(vendor_details.contact_id as {{ dbt.type_string() }}) as id,
        cast(not vendor_details.is_deleted as {{ dbt.type_boolean() }}) as active,
        cast(vendor_details.profile_currency as {{ dbt.type_string() }}) as currency,
        {{ unified_empty_list('address_lists.addresses') }} as addresses,
        {{ unified_iso_timestamp('vendor_details.created_date') }} as "createdAt",
        cast(vendor_details.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('vendor_details.modified_date') }} as "updatedAt",
        cast(vendor_details.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(vendor_details.id_code as {{ dbt.type_string() }}) as "vendorCode",
        cast(vendor_details.vendor_name as {{ dbt.type_string() }}) as "vendorName",
        cast(
            case when lower(vendor_details.contact_type) = 'person' then vendor_details.vendor_name end
            as {{ dbt.type_string() }}
        ) as "contactName",
        case
            when vendor_details.deadline_days is not null
                then {{ dbt.concat(["'Net '", 'cast(vendor_details.deadline_days as ' ~ dbt.type_string() ~ ')']) }}
        end as "paymentTerm",
        -- the contact's one bank account (Scoro's bankaccount field), when filled
        case
            when nullif(trim(vendor_details.bankaccount), '') is not null
                then {{ unified_list([unified_struct({
                    'accountNumber': 'trim(vendor_details.bankaccount)',
                    'active': '(not vendor_details.is_deleted)',
                    'createdAt': unified_iso_timestamp('vendor_details.created_date'),
                    'currency': 'vendor_details.profile_currency',
                    'description': 'cast(null as ' ~ dbt.type_string() ~ ')',
                    'hg_deleted': 'vendor_details.is_deleted',
                    'holderName': 'vendor_details.vendor_name',
                    'id': dbt.concat(['cast(vendor_details.contact_id as ' ~ dbt.type_string() ~ ')', "'-bankaccount'"]),
                    'name': "cast('Bank account' as " ~ dbt.type_string() ~ ")",
                    'swiftCode': 'cast(null as ' ~ dbt.type_string() ~ ')',
                    'type': "cast('bank' as " ~ dbt.type_string() ~ ")",
                    'updatedAt': unified_iso_timestamp('vendor_details.modified_date'),
                })]) }}
            else {{ unified_empty_list() }}
        end as "bankAccounts",
        cast(first_emails.email_address as {{ dbt.type_string() }}) as "emailAddress",
        {{ unified_empty_list('phone_lists.phone_numbers') }} as "phoneNumbers",
        cast(vendor_details.vatno as {{ dbt.type_string() }}) as "taxPayerNumber",
        cast(vendor_details.cat_name as {{ dbt.type_string() }}) as "vendorGroupCode",
        -- beyond the documented properties
        cast(coalesce(payables.balance, 0) as {{ accounting_base_money_type() }}) as balance,
        cast(vendor_details.is_client as {{ dbt.type_boolean() }}) as "isCustomer"
    from vendor_details
    left join address_lists
        on
            vendor_details.tenant_id = address_lists.tenant_id
            and vendor_details.contact_id = address_lists.contact_id
    left join phone_lists
        on
            vendor_details.tenant_id = phone_lists.tenant_id
            and vendor_details.contact_id = phone_lists.contact_id
    left join first_emails
        on
            vendor_details.tenant_id = first_emails.tenant_id
            and vendor_details.contact_id = first_emails.contact_id
    left join payables
        on
            vendor_details.tenant_id = payables.tenant_id
            and vendor_details.contact_id = payables.vendor_id
)

select * from final
