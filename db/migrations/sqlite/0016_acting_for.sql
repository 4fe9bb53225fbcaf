-- A resident paying online for another member of the household (#16): what
-- the one paying is to the member (the claim form's 经办人 relations: self,
-- spouse, parent, child, relative, other), recorded when the order is made.
-- NULL: the account's own person was not known, or an order made before.
ALTER TABLE payment_orders ADD COLUMN payer_relation TEXT
    CHECK (payer_relation IN ('self','spouse','parent','child','relative','other'));
