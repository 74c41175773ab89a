BEGIN TRANSACTION;
CREATE TABLE count_overrides (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	sku VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	charged_qty INTEGER NOT NULL, 
	camera_qty INTEGER NOT NULL, 
	frame_jpeg BLOB, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_count_overrides_charged_not_negative CHECK (charged_qty >= 0), 
	CONSTRAINT ck_count_overrides_camera_saw_more CHECK (camera_qty > charged_qty)
);
INSERT INTO "count_overrides" VALUES(1,'2026-12-01 09:30:00.000000','8801234500011','Choco bar',1,2,X'FFD86A706567');
CREATE TABLE face_people (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	display_name VARCHAR NOT NULL, 
	member_id VARCHAR, 
	created_at DATETIME NOT NULL, 
	consent_at DATETIME NOT NULL, 
	UNIQUE (display_name), 
	UNIQUE (member_id)
);
INSERT INTO "face_people" VALUES(1,'Ahn',NULL,'2026-12-01 09:30:00.000000','2026-12-01 09:30:00.000000');
INSERT INTO "face_people" VALUES(2,'Rose','M-0002','2026-12-01 09:30:00.000000','2026-12-01 09:30:00.000000');
CREATE TABLE face_templates (
	id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	embedder VARCHAR NOT NULL, 
	embedding_encrypted BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(person_id) REFERENCES face_people (id) ON DELETE CASCADE
);
INSERT INTO "face_templates" VALUES(1,1,'front','camera','facenet-casia',X'674141414141746F6B656E2D61686E','2026-12-01 09:30:00.000000');
INSERT INTO "face_templates" VALUES(2,2,'front','camera','facenet-casia',X'674141414141746F6B656E2D726F73652D66726F6E74','2026-12-01 09:30:00.000000');
INSERT INTO "face_templates" VALUES(3,2,'left','camera','facenet-casia',X'674141414141746F6B656E2D726F73652D6C656674','2026-12-01 09:30:00.000000');
CREATE TABLE pending_payments (
	checkout_id VARCHAR NOT NULL, 
	started_at DATETIME NOT NULL, 
	total INTEGER NOT NULL, 
	paid_by_name VARCHAR NOT NULL, 
	summary TEXT NOT NULL, 
	PRIMARY KEY (checkout_id)
);
INSERT INTO "pending_payments" VALUES('checkout-9','2026-12-01 09:30:00.000000',1500,'Rose','Choco bar x1');
CREATE TABLE product_barcodes (
	barcode VARCHAR NOT NULL, 
	sku VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (barcode), 
	FOREIGN KEY(sku) REFERENCES products (sku) ON DELETE CASCADE
);
INSERT INTO "product_barcodes" VALUES('8801234500012','8801234500011',0);
INSERT INTO "product_barcodes" VALUES('0012345678905','8801234500011',1);
CREATE TABLE product_photos (
	id INTEGER NOT NULL, 
	sku VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	photo_jpeg BLOB NOT NULL, 
	encoder VARCHAR NOT NULL, 
	colour BLOB NOT NULL, 
	trunk BLOB NOT NULL, 
	words TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(sku) REFERENCES products (sku) ON DELETE CASCADE
);
INSERT INTO "product_photos" VALUES(1,'TAUGHT-OJ','2026-12-01 09:30:00.000000',X'FFD8FFE066616B656A706567','appearance-v3',X'0000803F0000803F0000803F0000803F',X'0000004000000040000000400000004000000040000000400000004000000040','["ORANGE", "JUICE"]');
CREATE TABLE products (
	sku VARCHAR NOT NULL, 
	name_ko VARCHAR NOT NULL, 
	name_en VARCHAR NOT NULL, 
	price INTEGER NOT NULL, 
	class_name VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (sku), 
	CONSTRAINT ck_products_price_not_negative CHECK (price >= 0), 
	UNIQUE (class_name)
);
INSERT INTO "products" VALUES('8801234500011','초코바','Choco bar',1500,'choco_bar',1,'2026-12-01 09:30:00.000000');
INSERT INTO "products" VALUES('8801234500028','바나나우유','Banana milk',1700,'banana_milk',1,'2026-12-01 09:30:00.000000');
INSERT INTO "products" VALUES('TAUGHT-OJ','오렌지 주스','Orange juice',2500,'taught:TAUGHT-OJ',0,'2026-12-01 09:30:00.000000');
CREATE TABLE transaction_lines (
	id INTEGER NOT NULL, 
	transaction_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	sku VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	qty INTEGER NOT NULL, 
	unit_price INTEGER NOT NULL, 
	line_total INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_transaction_lines_qty_positive CHECK (qty > 0), 
	CONSTRAINT ck_transaction_lines_price_not_negative CHECK (unit_price >= 0), 
	CONSTRAINT ck_transaction_lines_total CHECK (line_total = qty * unit_price), 
	FOREIGN KEY(transaction_id) REFERENCES transactions (id) ON DELETE CASCADE
);
INSERT INTO "transaction_lines" VALUES(1,1,0,'8801234500011','Choco bar',1,1500,1500);
INSERT INTO "transaction_lines" VALUES(2,1,1,'8801234500028','Banana milk',1,1700,1700);
INSERT INTO "transaction_lines" VALUES(3,2,0,'8801234500011','Choco bar',2,1500,3000);
INSERT INTO "transaction_lines" VALUES(4,2,1,'8801234500028','Banana milk',1,1700,1700);
INSERT INTO "transaction_lines" VALUES(5,3,0,'8801234500011','Choco bar',3,1500,4500);
INSERT INTO "transaction_lines" VALUES(6,3,1,'8801234500028','Banana milk',1,1700,1700);
CREATE TABLE transactions (
	id INTEGER NOT NULL, 
	checkout_id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	total INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	paid_by_person_id VARCHAR, 
	paid_by_name VARCHAR, 
	status VARCHAR(20) NOT NULL, 
	receipt_text TEXT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_transactions_total_not_negative CHECK (total >= 0), 
	UNIQUE (checkout_id)
);
INSERT INTO "transactions" VALUES(1,'checkout-0','2026-12-01 09:30:00.000000',3200,'KRW',NULL,NULL,'paid','receipt 0
Choco bar x1');
INSERT INTO "transactions" VALUES(2,'checkout-1','2026-12-01 09:31:00.000000',4700,'KRW','2','Rose','paid','receipt 1
Choco bar x1');
INSERT INTO "transactions" VALUES(3,'checkout-2','2026-12-01 09:32:00.000000',6200,'KRW','2','Rose','paid','receipt 2
Choco bar x1');
CREATE INDEX ix_transactions_created_at ON transactions (created_at);
CREATE INDEX ix_count_overrides_created_at ON count_overrides (created_at);
CREATE INDEX ix_product_barcodes_sku ON product_barcodes (sku);
CREATE INDEX ix_transaction_lines_transaction_id ON transaction_lines (transaction_id);
CREATE INDEX ix_product_photos_sku ON product_photos (sku);
CREATE INDEX ix_face_templates_person_id ON face_templates (person_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('face_people',2);
COMMIT;
